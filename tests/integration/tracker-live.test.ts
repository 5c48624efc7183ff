// Live truth against the simulator with --tracker under leaking traffic: Inflight's tracker reader,
// ticking as the runner does, matches what is really in flight upstream (/sim/upstream) within one
// request at each sample, fresh within a second; a client gone before any chunk leaves an open
// request that is pruned after the max age and counted as a lost end; /metrics-style reads of any
// instance (readLive) agree.
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trackerKeys } from "../../lib/tracker/layout";
import { readLive } from "../../lib/tracker/live";
import { TrackerReader } from "../../lib/tracker/reader";
import { runTraffic } from "../../lib/traffic/generator";
import { startRedis, type TestRedis } from "../support/redis";
import { simAdmin, startSimulator, type TestSimulator } from "../support/simulator";
import { waitFor } from "../support/wait";

describe("live truth from the tracker", () => {
  let redis: TestRedis;
  let sim: TestSimulator;
  let r: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    // No shared limiter state: two workers each admit the limit (a key leaks to 2×); the tracker in Redis.
    sim = await startSimulator(["--limiter", "gauge", "--workers", "2", "--tracker", "--tracker-redis-url", redis.url]);
    r = new Redis(redis.url);
  }, 60_000);
  afterAll(async () => {
    r?.disconnect();
    await sim?.stop();
    await redis?.stop();
  });

  it("follows what is in flight upstream within one request at every sample, under a leaking key", async () => {
    const key = await simAdmin(sim, "POST", "/key/generate", { key_alias: "leaky", max_parallel_requests: 3, metadata: { allow_client_mock_response: true } });
    const reader = new TrackerReader(r, { maxAgeMs: 600_000, canWrite: true });
    await reader.tick();
    const traffic = runTraffic({ baseUrl: sim.url, key: key.key, clients: 10, durationMs: 8_000, delayS: (i) => 0.2 + (i % 7) * 0.15 });
    const diffs: number[] = [];
    let peakLive = 0;
    const until = Date.now() + 7_500;
    const upstream = async () => ((await (await fetch(`${sim.url}/sim/tracker?hash=${key.token_id}`)).json()) as { samples: Record<string, { upstream: number }> }).samples[key.token_id].upstream;
    let moved = 0;
    while (Date.now() < until) {
      // Upstream read just before and just after the tick. When it changed in between, what was in
      // flight at the instant the tick read is unknown (it may have gone up and down again): only a
      // sample where upstream held still is judged, the others are counted.
      const before = await upstream();
      await reader.tick();
      const live = reader.state.inFlight().get(key.token_id) ?? 0;
      const after = await upstream();
      if (before === after) diffs.push(Math.abs(live - before));
      else moved++;
      peakLive = Math.max(peakLive, live);
      await new Promise((res) => setTimeout(res, 100));
    }
    await traffic;
    expect(diffs.length, `${moved} samples moved during the tick`).toBeGreaterThan(20);
    // Within one request of what was in flight upstream around the tick.
    expect(Math.max(...diffs)).toBeLessThanOrEqual(1);
    // Per-worker counting leaks: more in flight than the limit, seen live.
    expect(peakLive).toBeGreaterThan(3);
    await reader.tick();
    expect(reader.state.inFlight().get(key.token_id) ?? 0).toBe(0);
    expect(reader.state.takeIntervals().length).toBe(reader.state.counters.ends);
  });

  it("is fresh within a second: a request started is in the live count at the next tick", async () => {
    const key = await simAdmin(sim, "POST", "/key/generate", { key_alias: "fresh", max_parallel_requests: 5, metadata: { allow_client_mock_response: true } });
    const reader = new TrackerReader(r, { maxAgeMs: 600_000, canWrite: true });
    await reader.tick();
    const lags: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = Date.now();
      const req = fetch(`${sim.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], mock_response: "ok", mock_delay: 1.5 }),
      });
      await waitFor(
        async () => {
          await reader.tick();
          return (reader.state.inFlight().get(key.token_id) ?? 0) > 0;
        },
        { what: "the start seen live", timeoutMs: 2_000, intervalMs: 20 },
      );
      lags.push(Date.now() - sent);
      await (await req).arrayBuffer();
      await waitFor(async () => (await reader.tick(), !reader.state.inFlight().has(key.token_id)), { what: "its end", timeoutMs: 2_000, intervalMs: 20 });
    }
    expect(Math.max(...lags)).toBeLessThan(1_000);
    // Any instance's on-demand read agrees.
    expect((await readLive(r, [key.token_id], 600_000)).inFlight.get(key.token_id)).toBe(0);
  });

  it("a client gone before any chunk: the open request is pruned after the max age and counted as a lost end", async () => {
    const key = await simAdmin(sim, "POST", "/key/generate", { key_alias: "gone", max_parallel_requests: 5, metadata: { allow_client_mock_response: true } });
    const ac = new AbortController();
    const pending = fetch(`${sim.url}/v1/chat/completions`, {
      method: "POST",
      signal: ac.signal,
      headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], mock_response: "ok", mock_delay: 5, stream: true }),
    }).catch(() => "aborted");
    await waitFor(async () => (await r.zcard(trackerKeys.open(key.token_id))) === 1, { what: "the start", timeoutMs: 5_000, intervalMs: 20 });
    ac.abort();
    await pending;
    const reader = new TrackerReader(r, { maxAgeMs: 1_000, canWrite: true });
    await reader.tick();
    await waitFor(async () => (await reader.tick()).pruned >= 0 && (await r.hget(trackerKeys.lost, key.token_id)) === "1", { what: "the lost end counted", timeoutMs: 5_000, intervalMs: 100 });
    expect(reader.state.inFlight().get(key.token_id) ?? 0).toBe(0);
    expect(await r.zcard(trackerKeys.open(key.token_id))).toBe(0);
    expect((await readLive(r, [key.token_id], 1_000)).inFlight.get(key.token_id)).toBe(0);
  });
});
