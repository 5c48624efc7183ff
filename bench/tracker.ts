// The live tracker's figures (lib/tracker, docs/tracker-layout.md):
// - tracker_read_500_keys_ms: one read of 500 keys' in-flight counts and the heartbeats, the tick any
//   instance makes (goal ≤ 20 ms), against one round trip per key;
// - tracker_events_per_s: events the reader consumes a second from the log (goal ≥ 50,000, 25× a
//   proxy at 1,000 requests/s), against the same reader reading pages of 100;
// - live_freshness_p95_ms: from sending a request to the reader (ticking every TRACKER_INTERVAL_MS,
//   500 ms) counting it in flight, against when its spend-log row is visible (the spend-log truth's
//   freshness), with the simulator's --tracker and default flush interval, same run.
import crypto from "node:crypto";
import Redis from "ioredis";
import { trackerKeys } from "../lib/tracker/layout";
import { readLive } from "../lib/tracker/live";
import { LiveSeconds } from "../lib/tracker/live-seconds";
import { TrackerReader } from "../lib/tracker/reader";
import { startRedis } from "../tests/support/redis";
import { simAdmin, startSimulator } from "../tests/support/simulator";
import { median, percentile } from "./format";
import type { BenchResult, BenchSuite } from "./types";

const hash = (i: number) => crypto.createHash("sha256").update(`bench-key-${i}`).digest("hex");

export const trackerBench: BenchSuite = async ({ quick }) => {
  const redis = await startRedis();
  const r = new Redis(redis.url);
  try {
    return [...(await readFigure(r, quick)), ...(await eventsFigure(r, quick)), ...(await freshnessFigure(redis.url, quick))];
  } finally {
    r.disconnect();
    await redis.stop();
  }
};

/** 500 keys with a few open requests each; best-of-rounds medians of one read, pipelined vs a round trip per key. */
async function readFigure(r: Redis, quick: boolean): Promise<BenchResult[]> {
  const hashes = Array.from({ length: 500 }, (_, i) => hash(i));
  const now = Date.now();
  const p = r.pipeline();
  hashes.forEach((h, i) => {
    for (let j = 0; j < (i % 5) + 1; j++) p.zadd(trackerKeys.open(h), now, `${i}-${j}`);
  });
  await p.exec();
  const time = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  const ours: number[] = [];
  const naive: number[] = [];
  for (let i = 0; i < (quick ? 20 : 100); i++) {
    ours.push(await time(() => readLive(r, hashes, 1_800_000)));
    naive.push(await time(async () => {
      for (const h of hashes) await r.zcount(trackerKeys.open(h), String(now - 1_800_000), "+inf");
    }));
  }
  const value = median(ours);
  const baseline = median(naive);
  return [{ name: "tracker_read_500_keys_ms", value, unit: "ms", baseline, ratio: baseline / value }];
}

/** A log of N starts and ends across 200 keys, consumed by the reader, against pages of 100. */
async function eventsFigure(r: Redis, quick: boolean): Promise<BenchResult[]> {
  await r.flushall();
  const n = quick ? 100_000 : 200_000;
  const keys = Array.from({ length: 200 }, (_, i) => hash(i));
  for (let base = 0; base < n; base += 10_000) {
    const p = r.pipeline();
    for (let i = base; i < base + 10_000; i += 2) {
      const k = keys[i % keys.length];
      p.xadd(trackerKeys.events, "*", "e", "s", "k", k, "c", `c${i}`, "t", String(i), "w", "bench");
      p.xadd(trackerKeys.events, "*", "e", "e", "k", k, "c", `c${i}`, "t", String(i + 5), "o", "ok", "w", "bench");
    }
    await p.exec();
  }
  // The same reader consuming the whole log from its start (as after a restart with a backlog),
  // in Inflight's batches and in pages of 100.
  // With the per-second live series kept, as the runner's tracker job does each tick.
  const rate = async (batch?: number) => {
    const seconds = new LiveSeconds();
    const reader = new TrackerReader(r, { maxAgeMs: 1_800_000, canWrite: false, batch, replay: true, seconds });
    const t0 = performance.now();
    let read = 0;
    while (read < n) {
      read += (await reader.tick()).events;
      seconds.flush(Date.now());
    }
    return n / ((performance.now() - t0) / 1000);
  };
  const ours = await rate();
  const baseline = await rate(100);
  return [{ name: "tracker_events_per_s", value: ours, unit: "ev/s", baseline, ratio: ours / baseline }];
}

/** Requests on a simulator with --tracker: when the reader counts each, and when its spend-log row is visible. */
async function freshnessFigure(redisUrl: string, quick: boolean): Promise<BenchResult[]> {
  const sim = await startSimulator(["--limiter", "gauge", "--redis-url", redisUrl, "--tracker"]);
  const r = new Redis(redisUrl);
  try {
    const key = await simAdmin(sim, "POST", "/key/generate", { key_alias: "fresh", metadata: { allow_client_mock_response: true } });
    const reader = new TrackerReader(r, { maxAgeMs: 1_800_000, canWrite: false });
    await reader.tick();
    const live: number[] = [];
    const spendLog: number[] = [];
    for (let i = 0; i < (quick ? 6 : 20); i++) {
      await new Promise((res) => setTimeout(res, Math.random() * 500)); // a random phase against the tick
      const sent = Date.now();
      const req = fetch(`${sim.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], mock_response: "ok", mock_delay: 0.2 }),
      });
      // The runner's tick, every 500 ms (TRACKER_INTERVAL_MS), until the request is counted.
      for (;;) {
        await reader.tick();
        if (reader.state.counters.starts > i) break;
        await new Promise((res) => setTimeout(res, 500));
      }
      live.push(Date.now() - sent);
      const res = await req;
      await res.arrayBuffer();
      const id = res.headers.get("x-litellm-call-id");
      for (;;) {
        const rows = (await simAdmin(sim, "GET", `/spend/logs?request_id=${id}`)) as unknown[];
        if (rows.length) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      spendLog.push(Date.now() - sent);
    }
    const value = percentile(live, 0.95);
    const baseline = percentile(spendLog, 0.95);
    return [{ name: "live_freshness_p95_ms", value, unit: "ms", baseline, ratio: baseline / value }];
  } finally {
    r.disconnect();
    await sim.stop();
  }
}
