// Late spend-log rows: a slow proxy database (the simulator's --spend-log-delay 120) makes every row
// appear two minutes after its request ended, far beyond the configured flush lag. Busy traffic on
// several keys overflows a live poll's first page, so live polling alone would pass rows by. The
// runner's ingest job (live polls, the flush lag learnt from what it sees, the reconcile pass) must
// end with every row stored once, the series equal to a sweep over the proxy's own rows, and the
// late rows reported in the health summary and /metrics. Both stores ingest the same simulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepSeconds } from "../../lib/concurrency/sweep";
import { sparseRows } from "../../lib/concurrency/downsample";
import { summarisePipeline } from "../../lib/health/pipeline";
import { normalizeRow, type IngestRow } from "../../lib/ingest/normalize";
import { formatProxyDate } from "../../lib/ingest/timestamps";
import { exposition } from "../../lib/metrics/exposition";
import { metricsSnapshot } from "../../lib/metrics/snapshot";
import { ingestJob } from "../../lib/runner/ingest-job";
import type { Dialect } from "../../lib/store/store";
import { runTraffic } from "../../lib/traffic/generator";
import { openPipeline } from "../support/inflight";
import { simAdmin, startSimulator, type TestSimulator } from "../support/simulator";
import { compareStoredRows, openRequestTableReader } from "../support/stored-requests";
import { createTestDatabase, DIALECTS } from "../support/store";

const DELAY_S = 120;
/** Configured far below the delay, so the rows are late until ingest learns otherwise. */
const timing = { maxRequestMs: 5_000, flushLagMs: 2_000, clockSkewMs: 500, backfillMs: 600_000 };
/** Small leaves, so a window is split before it is re-read. */
const reconcile = { horizonMs: 3_600_000, leafRows: 400, requestBudget: 2_000 };
const KEYS = 4;
const POLL_MS = 4_000;

/** Every row the proxy serves for [fromMs, toMs], read page by page as an operator's script would. */
async function proxyRows(sim: TestSimulator, fromMs: number, toMs: number): Promise<IngestRow[]> {
  const rows: IngestRow[] = [];
  for (let page = 1; ; page++) {
    const q = new URLSearchParams({ start_date: formatProxyDate(fromMs), end_date: formatProxyDate(toMs), page: String(page), page_size: "1000", sort_by: "startTime", sort_order: "asc" });
    const body = (await simAdmin(sim, "GET", `/spend/logs/ui?${q}`)) as { data: unknown[] };
    for (const raw of body.data) {
      const r = normalizeRow(raw);
      if (typeof r === "string") throw new Error(`the simulator served a malformed row: ${r}`);
      rows.push(r);
    }
    if (body.data.length < 1000) return rows;
  }
}

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startSimulator(["--spend-log-delay", String(DELAY_S), "--flush-interval", "0.5"]);
});
afterAll(async () => {
  await sim?.stop();
});

describe("late spend-log rows (--spend-log-delay 120)", () => {
  it("are all stored once on both stores, the series corrected, and reported as late", { timeout: 600_000 }, async () => {
    const keys: { key: string; token_id: string }[] = [];
    for (let i = 0; i < KEYS; i++) {
      keys.push(await simAdmin(sim, "POST", "/key/generate", { key_alias: `late-${i}`, max_parallel_requests: 6, metadata: { allow_client_mock_response: true } }));
    }
    const dbs = await Promise.all(DIALECTS.map((d) => createTestDatabase(d)));
    const pipes = await Promise.all(dbs.map((db) => openPipeline(db.url, sim.url, sim.masterKey, timing, reconcile)));
    const jobs = pipes.map((p) => ingestJob(p, 5_000));
    try {
      const trafficFrom = Date.now();
      // Busy traffic: 16 clients per key with short requests, several hundred a second in all, so
      // the rows that appear between two polls fill more than a page; some get 429s.
      const traffic = Promise.all(
        keys.map((k, i) => runTraffic({ baseUrl: sim.url, key: k.key, clients: 16, durationMs: 15_000, delayS: (n) => 0.05 + ((n * 7 + i) % 5) * 0.05 })),
      );
      let sent: Awaited<typeof traffic> | null = null;
      void traffic.then((s) => (sent = s));

      // Poll as the runner does until every row has appeared and is settled behind the cursor: about
      // the traffic, the delay and the live window (two and a half minutes); ten at most.
      const stats: Record<string, unknown>[] = [];
      let lastEndMs = Infinity;
      const deadline = Date.now() + 600_000;
      for (;;) {
        if (Date.now() > deadline) throw new Error(`rows still not all in after 10 minutes: ${JSON.stringify(stats)}`);
        const outcomes = await Promise.all(jobs.map((run) => run()));
        outcomes.forEach((o, i) => (stats[i] = o.stats));
        if (sent && lastEndMs === Infinity) lastEndMs = Date.now();
        const state = (await simAdmin(sim, "GET", "/sim/state")) as { delayed_spend_logs: number; queued_spend_logs: number };
        const cursors = await Promise.all(pipes.map((p) => p.store.ingest.readCursor("spend-logs")));
        const settled = cursors.every((c) => c !== null && c.completeBeforeMs > lastEndMs);
        if (sent && state.delayed_spend_logs === 0 && state.queued_spend_logs === 0 && settled) break;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      // One more pass of each job once its reconcile interval (5 s) has passed (the wait is the
      // scenario: the pass is due again), so it covers everything now settled.
      for (let i = 0; i < jobs.length; i++) {
        await new Promise((r) => setTimeout(r, 5_000));
        stats[i] = (await jobs[i]()).stats;
      }

      const served = await proxyRows(sim, trafficFrom - 1_000, Date.now());
      const total = (sent as unknown as Awaited<typeof traffic>).reduce((n, s) => n + s.sent, 0);
      expect(served.length).toBe(total); // every request the clients sent has its row at the proxy
      const want = served.map((r) => ({ keyHash: r.keyHash, startMs: r.startMs, requestId: r.requestId })).sort(compareStoredRows);

      for (let i = 0; i < DIALECTS.length; i++) {
        const d: Dialect = DIALECTS[i];
        // Every row stored exactly once: the same (key, start, request id) list as the proxy's.
        const reader = await openRequestTableReader(dbs[i].url);
        try {
          expect(await reader.rows(), `${d}: stored rows`).toEqual(want);
        } finally {
          await reader.close();
        }

        // The series equals a sweep over the proxy's rows, key by key, second by second.
        for (const k of keys) {
          const own = served.filter((r) => r.keyHash === k.token_id);
          const fromSec = Math.floor(Math.min(...own.map((r) => r.startMs)) / 1000);
          const toSec = Math.ceil(Math.max(...own.map((r) => r.endMs)) / 1000) + 1;
          // Admitted: no 429 of any limit type (only max_parallel_requests 429s are `rejected`).
          const admitted = own.filter((r) => r.limitType === null);
          const truth = sparseRows(
            sweepSeconds({ starts: admitted.map((r) => r.startMs), ends: admitted.map((r) => r.endMs), rejectedAt: own.filter((r) => r.rejected).map((r) => r.startMs), fromSec, toSec }),
          ).map(({ sec, maxInFlight, admitted, rejected }) => ({ sec, maxInFlight, admitted, rejected }));
          const id = (await pipes[i].store.catalog.keyByHash(k.token_id))!.id;
          const stored = (await pipes[i].store.series.buckets({ keyIds: [id], resolution: "1s", fromSec, toSec, bucketSec: 1 })).map((b) => ({
            sec: b.t,
            maxInFlight: b.maxInFlight,
            admitted: b.admitted,
            rejected: b.rejected,
          }));
          expect(stored, `${d}: series of ${k.token_id.slice(0, 8)}`).toEqual(truth);
        }

        // Late rows were found, by live polls and by the reconcile pass, about two minutes late, and
        // the flush lag followed what was seen.
        const s = stats[i] as { flushLagMs: number; totals: { late: { rows: number; maxDelayMs: number; byReconcile: number } } };
        expect(s.totals.late.byReconcile, `${d}: rows the reconcile pass found`).toBeGreaterThan(0);
        expect(s.totals.late.rows).toBeGreaterThanOrEqual(s.totals.late.byReconcile);
        expect(s.totals.late.maxDelayMs).toBeGreaterThanOrEqual(DELAY_S * 1000);
        expect(s.flushLagMs).toBeGreaterThanOrEqual(DELAY_S * 1000);

        // The health summary and /metrics say so, from the job's stats as the runner records them.
        const store = pipes[i].store;
        await store.jobs.recordOk("ingest", "test", s);
        const health = summarisePipeline(await store.jobs.all());
        expect(health.lateRows.rows).toBe(s.totals.late.rows);
        expect(health.lateRows.byReconcile).toBe(s.totals.late.byReconcile);
        expect(health.flushLagMs).toBe(s.flushLagMs);
        const { text } = await exposition(await metricsSnapshot(store), health);
        expect(text).toContain(`inflight_ingest_late_rows_total ${s.totals.late.rows}\n`);
        expect(text).toContain(`inflight_ingest_reconciled_rows_total ${s.totals.late.byReconcile}\n`);
        expect(text).toContain(`inflight_ingest_flush_lag_seconds ${s.flushLagMs / 1000}\n`);
      }
    } finally {
      for (const p of pipes) await p.close();
      for (const db of dbs) await db.remove();
    }
  });
});
