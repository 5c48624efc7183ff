// Inflight's stored truth against the simulator's ground truth (/sim/upstream), per limiter mode,
// with ingest polling live while traffic runs, requests longer than the poll interval, and a restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTraffic } from "../../lib/traffic/generator";
import { keyTruth, openPipeline } from "../support/inflight";
import { startRedis, type TestRedis } from "../support/redis";
import { startSimulator, type TestSimulator } from "../support/simulator";
import { createTestDatabase, DIALECTS } from "../support/store";

const timing = { maxRequestMs: 30_000, flushLagMs: 3_000, clockSkewMs: 500, backfillMs: 120_000 };

async function admin(sim: TestSimulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${sim.masterKey}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBe(200);
  return res.json();
}

async function scenario(dialect: (typeof DIALECTS)[number], limiter: "windowed" | "gauge", redis: TestRedis) {
  const sim = await startSimulator(["--limiter", limiter, "--redis-url", redis.url, "--window", "2", "--flush-interval", "1"]);
  const db = await createTestDatabase(dialect);
  try {
    const limit = 4;
    const key = await admin(sim, "POST", "/key/generate", {
      key_alias: `truth-${limiter}`,
      max_parallel_requests: limit,
      metadata: { allow_client_mock_response: true },
    });
    await admin(sim, "POST", "/sim/upstream/reset");
    let pipeline = await openPipeline(db.url, sim.url, sim.masterKey, timing);

    // Traffic: 16 clients, requests longer than the 2 s window (and some far longer than a poll).
    const traffic = runTraffic({
      baseUrl: sim.url,
      key: key.key,
      clients: 16,
      durationMs: 8_000,
      delayS: (i) => (i % 9 === 0 ? 7 : 2.5),
    });
    let done = false;
    void traffic.then(() => (done = true));
    const startedAt = Date.now();
    let restarted = false;
    while (!done) {
      await pipeline.step();
      if (!restarted && Date.now() - startedAt > 4_000) {
        // A restart mid-traffic: a new connection and pipeline resuming from the stored cursor.
        await pipeline.close();
        pipeline = await openPipeline(db.url, sim.url, sim.masterKey, timing);
        restarted = true;
      }
      await new Promise((r) => setTimeout(r, 700));
    }
    const sent = await traffic;
    // Every request has ended; wait out the flush lag, then let live polling pick up the rest.
    const settleUntil = Date.now() + timing.flushLagMs + 1_500;
    while (Date.now() < settleUntil) {
      await pipeline.step();
      await new Promise((r) => setTimeout(r, 500));
    }
    await pipeline.step();

    const truth = (await admin(sim, "GET", "/sim/upstream")) as { keys: Record<string, { peak: number; current: number }> };
    const upstreamPeak = truth.keys[key.token_id].peak;
    const stored = (await keyTruth(pipeline.store, key.token_id))!;
    expect(stored).not.toBeNull();
    await pipeline.close();
    return { limiter, limit, upstreamPeak, inflightPeak: stored.peak, sent, stored: { n: stored.admitted + stored.rejected, rej: stored.rejected } };
  } finally {
    await db.remove();
    await sim.stop();
  }
}

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe.each(DIALECTS)("stored concurrency equals the simulator's ground truth (%s store)", (dialect) => {
  it("windowed limiter (#16011): the overshoot above the limit is seen exactly, nothing lost or doubled across a restart", async () => {
    const r = await scenario(dialect, "windowed", redis);
    expect(r.sent.other).toBe(0);
    expect(r.sent.rejected).toBeGreaterThan(0); // 429s happen as well as the overshoot
    expect(r.upstreamPeak).toBeGreaterThan(r.limit);
    expect(Math.abs(r.inflightPeak - r.upstreamPeak)).toBeLessThanOrEqual(1);
    // Every request the clients sent is stored exactly once, rejections included.
    expect(r.stored.n).toBe(r.sent.sent);
    expect(r.stored.rej).toBe(r.sent.rejected);
  });

  it("gauge limiter: the stored peak never exceeds the limit and matches the ground truth", async () => {
    const r = await scenario(dialect, "gauge", redis);
    expect(r.sent.other).toBe(0);
    expect(r.upstreamPeak).toBeLessThanOrEqual(r.limit);
    expect(r.inflightPeak).toBeLessThanOrEqual(r.limit);
    expect(Math.abs(r.inflightPeak - r.upstreamPeak)).toBeLessThanOrEqual(1);
    expect(r.stored.n).toBe(r.sent.sent);
    expect(r.stored.rej).toBe(r.sent.rejected);
  });
});
