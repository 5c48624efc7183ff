// alert_latency_p95_s / _p50_s: from the first second a key runs above its limit in the proxy to a
// webhook receiver holding the alert, with the simulator's default flush interval (10 s), through
// a runner process as operators run it. Goal: flush interval + 5 s at most. The baseline is the
// naive way to alert on spend logs, waiting until the truth is settled (the ingest watermark has
// passed the violation, INGEST_FLUSH_LAG_S behind the proxy), timed in the same run from the
// watermark the runner commits.
//
// alert_latency_tracker_p95_s: the same with Inflight's tracker callback mounted (the simulator's
// --tracker): live seconds fill in where spend logs have not arrived yet. Its baseline is the
// spend-log path's p95 (alert_latency_p95_s) from the same run.
import { SPEND_LOG_SOURCE } from "../lib/ingest/ingest";
import { migrateStore } from "../lib/store/migrate";
import { openStore } from "../lib/store/open";
import { runTraffic } from "../lib/traffic/generator";
import { startReceiver } from "../tests/support/receiver";
import { startRedis } from "../tests/support/redis";
import { spawnRunner } from "../tests/support/runner-process";
import { simAdmin, startSimulator } from "../tests/support/simulator";
import { createTestDatabase } from "../tests/support/store";
import { waitFor } from "../tests/support/wait";
import { percentile } from "./format";
import type { BenchResult, BenchSuite } from "./types";

const SECRET = `whsec_${Buffer.from("bench-alert-latency-secret-0123456").toString("base64")}`;

export const alertsBench: BenchSuite = async ({ quick }) => {
  const rounds = quick ? 3 : 10;
  const spendLogs = await latencies(rounds, null);
  const redis = await startRedis();
  let tracked: Latencies;
  try {
    tracked = await latencies(rounds, redis.url);
  } finally {
    await redis.stop();
  }
  const out: BenchResult[] = [];
  for (const [name, p] of [
    ["alert_latency_p95_s", 0.95],
    ["alert_latency_p50_s", 0.5],
  ] as const) {
    const value = percentile(spendLogs.ours, p);
    const baseline = percentile(spendLogs.settled, p);
    out.push({ name, value, unit: "s", baseline, ratio: baseline / value });
  }
  const live = percentile(tracked.ours, 0.95);
  const viaSpendLogs = percentile(spendLogs.ours, 0.95);
  out.push({ name: "alert_latency_tracker_p95_s", value: live, unit: "s", baseline: viaSpendLogs, ratio: viaSpendLogs / live });
  console.log(`   latencies (s): ${spendLogs.ours.map((x) => x.toFixed(1)).join(", ")}; settled-truth baseline: ${spendLogs.settled.map((x) => x.toFixed(1)).join(", ")}`);
  console.log(`   with the tracker (s): ${tracked.ours.map((x) => x.toFixed(1)).join(", ")}`);
  return out;
};

interface Latencies {
  /** First second above the limit to the webhook receiver holding the alert, per round. */
  ours: number[];
  /** First second above the limit to the ingest watermark passing it, per round. */
  settled: number[];
}

/** One round per key through a runner process; with `trackerRedis`, the tracker callback is mounted and read. */
async function latencies(rounds: number, trackerRedis: string | null): Promise<Latencies> {
  const cleanups: (() => unknown)[] = [];
  try {
    // Two workers without a shared Redis: a key with max_parallel_requests 2 runs 4 at once.
    const sim = await startSimulator(["--limiter", "gauge", "--workers", "2", ...(trackerRedis ? ["--tracker", "--tracker-redis-url", trackerRedis] : [])]);
    const rx = await startReceiver();
    const db = await createTestDatabase("sqlite");
    cleanups.push(() => sim.stop(), () => rx.stop(), () => db.remove());
    await migrateStore(db.url);
    const store = await openStore(db.url);
    cleanups.push(() => store.close());
    const keys = [];
    for (let i = 0; i < rounds; i++) keys.push(await simAdmin(sim, "POST", "/key/generate", { key_alias: `bench-${i}`, max_parallel_requests: 2, metadata: { allow_client_mock_response: true } }));

    // Inflight's defaults, but for polling the proxy every second (what fast alerts need) and a
    // quick catalog sync (so the bench need not wait 30 s for its keys; it does not touch latency).
    const runner = spawnRunner(
      {
        INFLIGHT_DATABASE_URL: db.url,
        LITELLM_URL: sim.url,
        LITELLM_MASTER_KEY: sim.masterKey,
        INGEST_POLL_INTERVAL_S: "1",
        ALERT_EVAL_INTERVAL_S: "1",
        CATALOG_SYNC_INTERVAL_S: "5",
        ALERT_WEBHOOK_URL: `${rx.url}/hook`,
        ALERT_WEBHOOK_SECRET: SECRET,
        ALERT_ALLOWED_HOSTS: "127.0.0.1",
        ...(trackerRedis ? { INFLIGHT_TRACKER_REDIS_URL: trackerRedis } : {}),
      },
      cleanups,
    );
    await waitFor(async () => (await store.catalog.listedKeys()).filter((k) => k.maxParallelRequests === 2).length === rounds, {
      what: "the bench keys in the catalog",
      timeoutMs: 60_000,
      intervalMs: 250,
      detail: () => runner.output(),
    });

    // The watermark over time, to time the settled-truth baseline in the same run.
    const watermarks: { atMs: number; wMs: number }[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const c = await store.ingest.readCursor(SPEND_LOG_SOURCE);
        if (c) watermarks.push({ atMs: Date.now(), wMs: c.endWatermarkMs });
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    const ours: number[] = [];
    const starts: number[] = [];
    for (const key of keys) {
      // A random phase against the proxy's flush timer, as a real violation has.
      await new Promise((r) => setTimeout(r, Math.random() * 10_000));
      const t0 = Date.now();
      starts.push(t0);
      void runTraffic({ baseUrl: sim.url, key: key.key, clients: 4, durationMs: 3_000, delayS: () => 1 });
      const got = await waitFor(
        () => rx.requests.find((r) => (JSON.parse(r.body) as { key_hash: string; event: string }).key_hash === key.token_id && r.at >= t0),
        { what: `the alert of ${key.key_alias}`, timeoutMs: 120_000, intervalMs: 50, detail: () => runner.output() },
      );
      ours.push((got.at - t0) / 1000);
    }
    // The settled-truth baseline: when the watermark passed the first violating second.
    await waitFor(() => watermarks.some((w) => w.wMs >= starts.at(-1)! + 1000), { what: "the watermark to pass the last violation", timeoutMs: 300_000, intervalMs: 500 });
    watching = false;
    await watch;
    const settled = starts.map((t0) => (watermarks.find((w) => w.wMs >= t0 + 1000)!.atMs - t0) / 1000);
    await runner.stop();
    return { ours, settled };
  } finally {
    while (cleanups.length) await cleanups.pop()!();
  }
}
