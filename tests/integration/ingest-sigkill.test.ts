// Crash mid-window with real processes: the runner (`tsx scripts/runner.ts`) catches up a
// simulator's seeded spend-log history, many pages a window, and is SIGKILLed while a window's
// first pages are committed and its cursor is not (seen in the database, and checked again once
// the process is gone). A restarted runner finishes: the store holds exactly the simulator's
// requests, each once, and the series counts each once. On each store.
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../lib/store/open";
import type { Store } from "../../lib/store/store";
import { spawnRunner as spawnRunnerWith } from "../support/runner-process";
import { startSimulator, type TestSimulator } from "../support/simulator";
import { createTestDatabase, DIALECTS } from "../support/store";
import { compareStoredRows, openRequestTableReader, type RequestTableReader, type StoredRequestRow } from "../support/stored-requests";
import { waitFor } from "../support/wait";

/** Seeded over the last 24 h: ~5,000 an hour, so a catch-up window (≤ 1 h) is several pages of 1,000. */
const SEEDED = 120_000;
const PAGE = 1000;
/** Rows the first runner stores before it may be killed: a fifth of the history, so the restart resumes mid-history. */
const FIRST_KILL_AFTER = SEEDED / 5;
const MAX_KILLS = 6;
const POLL_MS = 20;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const spawnRunner = (env: Record<string, string>) => spawnRunnerWith(env, cleanups);

/** Every spend-log row the simulator lists, read as an admin does: /spend/logs/ui page by page, oldest first. */
async function simulatorRows(sim: TestSimulator): Promise<StoredRequestRow[]> {
  const rows: StoredRequestRow[] = [];
  const q = new URLSearchParams({ start_date: "2000-01-01 00:00:00", end_date: "2100-01-01 00:00:00", page_size: String(PAGE), sort_by: "startTime", sort_order: "asc" });
  for (let page = 1; ; page++) {
    q.set("page", String(page));
    const res = await fetch(`${sim.url}/spend/logs/ui?${q}`, { headers: { authorization: `Bearer ${sim.masterKey}` } });
    if (res.status !== 200) throw new Error(`/spend/logs/ui page ${page}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { data: { request_id: string; api_key: string; startTime: string }[] };
    for (const r of body.data) rows.push({ keyHash: r.api_key, startMs: Date.parse(r.startTime), requestId: r.request_id });
    if (body.data.length < PAGE) return rows.sort(compareStoredRows);
  }
}

/** What a failed comparison prints: the rows missing or extra (with their start as ISO), and where each kill left ingest. */
function differences(expected: StoredRequestRow[], stored: StoredRequestRow[], kills: unknown[]): string {
  const key = (r: StoredRequestRow) => `${r.keyHash} ${r.startMs} ${r.requestId}`;
  const have = new Set(stored.map(key));
  const want = new Set(expected.map(key));
  const show = (r: StoredRequestRow) => `${r.requestId} start ${new Date(r.startMs).toISOString()} (${r.startMs}) key ${r.keyHash.slice(0, 12)}`;
  const missing = expected.filter((r) => !have.has(key(r))).slice(0, 20).map(show);
  const extra = stored.filter((r) => !want.has(key(r))).slice(0, 20).map(show);
  return `missing: ${JSON.stringify(missing)}\nextra: ${JSON.stringify(extra)}\nkills: ${JSON.stringify(kills)}`;
}

/** Where ingest stands in the database: the cursor, rows stored, and rows stored past the cursor (pages of a window whose cursor is not committed). */
async function ingestState(reader: RequestTableReader) {
  const cursor = await reader.cursor();
  const stored = await reader.count();
  // Before the first cursor commit every stored row belongs to the first window.
  const pastCursor = cursor ? await reader.countStartedSince(cursor.completeBeforeMs) : stored;
  return { cursor, stored, pastCursor };
}

/** Stored requests per key hash, counted through the series (each request in the second it started). */
async function seriesCounts(store: Store, hashes: string[]) {
  const out: Record<string, number> = {};
  for (const hash of hashes) {
    const k = await store.catalog.keyByHash(hash);
    const [t] = k ? await store.series.totals([k.id], "1s", [[0, 2 ** 40]]) : [];
    out[hash] = (t?.admitted ?? 0) + (t?.rejected ?? 0);
  }
  return out;
}

describe.each(DIALECTS)("ingest under SIGKILL (%s store)", (dialect) => {
  it("a runner killed between a window's page commits and its cursor commit, restarted: every simulator row stored once", { timeout: 900_000 }, async () => {
    const db = await createTestDatabase(dialect);
    cleanups.push(() => db.remove());
    const sim = await startSimulator(["--seed-spend-logs", String(SEEDED)]);
    cleanups.push(() => sim.stop());
    const expected = await simulatorRows(sim);
    expect(expected).toHaveLength(SEEDED);
    const seedEnd = expected.reduce((m, r) => Math.max(m, r.startMs), 0);
    const reader = await openRequestTableReader(db.url);
    cleanups.push(() => reader.close());
    const env = {
      INFLIGHT_DATABASE_URL: db.url,
      LITELLM_URL: sim.url,
      LITELLM_MASTER_KEY: sim.masterKey,
      REDIS_URL: "", // no Redis: no lease, this runner runs the jobs; no limiter sampling
      INFLIGHT_REDIS_URL: "",
      INGEST_POLL_INTERVAL_S: "1",
      INGEST_MAX_REQUEST_S: "10",
      INGEST_FLUSH_LAG_S: "1",
      INGEST_CLOCK_SKEW_S: "1",
      INGEST_BACKFILL_HOURS: "25", // the whole seeded day is history to catch up
      CATALOG_SYNC_INTERVAL_S: "5",
      RUNNER_LEASE_TTL_S: "2",
    };

    // Kill runners until one dies mid-window: rows of a window stored past its uncommitted cursor.
    const kills: Awaited<ReturnType<typeof ingestState>>[] = [];
    while (kills.length < MAX_KILLS && !(kills.at(-1)?.pastCursor ?? 0)) {
      const before = kills.at(-1)?.stored ?? 0;
      const runner = spawnRunner(env);
      const seen = await waitFor(
        async () => {
          if (runner.exited()) throw new Error(`the runner exited:\n${runner.output()}`);
          const s = await ingestState(reader);
          if (s.cursor && s.cursor.completeBeforeMs > seedEnd) throw new Error(`catch-up finished before a kill (seed more rows):\n${JSON.stringify(s)}`);
          // This runner made progress of its own, then is caught between page commits and the cursor commit.
          return s.stored >= Math.max(FIRST_KILL_AFTER, before + 1) && s.pastCursor > 0 && s;
        },
        { what: "a window part-stored (rows past the cursor)", timeoutMs: 300_000, intervalMs: POLL_MS, detail: () => runner.output() },
      );
      await runner.crash();
      const after = await ingestState(reader);
      // Nothing moved backwards; what is stored now is what the dead process left.
      expect(after.stored).toBeGreaterThanOrEqual(seen.stored);
      kills.push(after);
    }
    const last = kills.at(-1)!;
    expect(last.pastCursor, `no kill landed mid-window in ${kills.length} tries: ${JSON.stringify(kills)}`).toBeGreaterThan(0);
    expect(last.stored).toBeLessThan(SEEDED);
    expect(last.cursor?.completeBeforeMs ?? 0).toBeLessThan(seedEnd);

    // Restarted: it resumes from the stored cursor and catches up past the last seeded row.
    const runner = spawnRunner(env);
    const store = await openStore(db.url);
    cleanups.push(() => store.close());
    await waitFor(
      async () => {
        if (runner.exited()) throw new Error(`the runner exited:\n${runner.output()}`);
        const c = await reader.cursor();
        return c !== null && c.completeBeforeMs > seedEnd && (await store.series.dirtyMarks(1)).length === 0;
      },
      { what: "catch-up past the seeded history, its series maintained", timeoutMs: 600_000, intervalMs: POLL_MS, detail: () => `${JSON.stringify(kills)}\n${runner.output()}` },
    );
    await runner.stop();

    // Exactly the simulator's rows: none missing, none extra, none twice (a request stored twice is listed twice).
    const stored = await reader.rows();
    expect(stored.length, differences(expected, stored, kills)).toBe(SEEDED);
    expect(stored).toEqual(expected);
    expect(new Set(stored.map((r) => r.requestId)).size).toBe(SEEDED);
    // And the series counts each request once.
    const perKey: Record<string, number> = {};
    for (const r of expected) perKey[r.keyHash] = (perKey[r.keyHash] ?? 0) + 1;
    expect(await seriesCounts(store, Object.keys(perKey))).toEqual(perKey);
  });
});
