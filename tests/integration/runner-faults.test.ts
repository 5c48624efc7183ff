// The runner under faults, with real processes: the proxy answering 5xx or refusing connections,
// and Inflight's Redis going away. Nothing is lost once the proxy is back; history keeps flowing
// without Redis.
import { afterEach, describe, expect, it } from "vitest";
import { LiteLLMClient } from "../../lib/litellm/client";
import { connectRedis } from "../../lib/redis/connection";
import { JobStatusStore, type JobStatus } from "../../lib/runner/job-status";
import { Runner } from "../../lib/runner/runner";
import { openSqlite } from "../../lib/store/sqlite";
import { createTestDb } from "../support/db";
import { startGateway } from "../support/gateway";
import { startRedis } from "../support/redis";
import { testRunnerConfig } from "../support/runner-config";
import { startSimulator, type TestSimulator } from "../support/simulator";
import { runTraffic } from "../support/traffic";

const quiet = { warn: () => undefined, info: () => undefined };
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newKey(sim: TestSimulator, limit: number) {
  const res = await fetch(`${sim.url}/key/generate`, {
    method: "POST",
    headers: { authorization: `Bearer ${sim.masterKey}`, "content-type": "application/json" },
    body: JSON.stringify({ max_parallel_requests: limit, metadata: { allow_client_mock_response: true } }),
  });
  return (await res.json()) as { key: string; token_id: string };
}

async function waitFor<T>(what: string, fn: () => T | undefined | null | false | "", timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v as T;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

function job(status: JobStatusStore, name: string): JobStatus | undefined {
  return status.all().find((j) => j.name === name);
}

describe("runner faults", () => {
  it("backs off while the proxy answers 503 or refuses connections, says since when, and loses nothing once it is back", async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    const sim = await startSimulator(["--limiter", "windowed", "--redis-url", redis.url, "--window", "2", "--flush-interval", "1"]);
    cleanups.push(() => sim.stop());
    const store = await createTestDb();
    cleanups.push(() => store.close());
    const gateway = await startGateway(sim.url);
    cleanups.push(() => gateway.stop());
    const key = await newKey(sim, 4);

    const sqlite = openSqlite(store.url);
    cleanups.push(() => sqlite.close());
    const conn = connectRedis(redis.url);
    conn.on("error", () => undefined);
    cleanups.push(() => conn.disconnect());
    const config = testRunnerConfig({ DATABASE_URL: store.url, LITELLM_URL: gateway.url, LITELLM_MASTER_KEY: sim.masterKey, REDIS_URL: redis.url });
    const runner = new Runner({ config, sqlite, client: new LiteLLMClient({ baseUrl: gateway.url, masterKey: sim.masterKey, timeoutMs: 2_000 }), redis: conn, holderId: "test-runner", log: quiet });
    runner.start();
    cleanups.push(() => runner.stop());
    const status = new JobStatusStore(sqlite);

    const traffic = runTraffic({ baseUrl: sim.url, key: key.key, clients: 6, durationMs: 14_000, delayS: (i) => (i % 5 === 0 ? 4 : 1.5) });
    await sleep(2_000);
    await gateway.set("error");
    const failing503 = await waitFor("ingest failing on 503", () => (job(status, "ingest")?.failingSince ? job(status, "ingest") : undefined));
    expect(failing503.lastError).toMatch(/503/);
    await sleep(1_500);
    await gateway.set("down");
    const refused = await waitFor("ingest failing on refused connections", () => {
      const j = job(status, "ingest");
      return j?.lastError?.includes("unreachable") ? j : undefined;
    });
    // The outage keeps its start time across both kinds of failure.
    expect(refused.failingSince).toBe(failing503.failingSince);
    await sleep(2_000);
    await gateway.set("up");
    const sent = await traffic;

    const keyId = await waitFor("the key to be known", () => sqlite.prepare("SELECT id FROM key WHERE hash = ?").pluck().get(key.token_id) as number | undefined);
    const stored = await waitFor("every request to be stored", () => {
      const n = sqlite.prepare("SELECT COUNT(*) FROM request WHERE key_id = ?").pluck().get(keyId) as number;
      return n >= sent.sent && n;
    });
    expect(stored).toBe(sent.sent);
    expect(job(status, "ingest")?.failingSince).toBeNull();
    const rejected = sqlite.prepare("SELECT COUNT(*) FROM request WHERE key_id = ? AND rejected = 1").pluck().get(keyId);
    expect(rejected).toBe(sent.rejected);
  });

  it("keeps ingesting from spend logs while its Redis is down, and reports the sampler as failing", async () => {
    const redis = await startRedis();
    let redisUp = true;
    cleanups.push(() => redisUp && redis.stop());
    // The simulator keeps its limiter in memory here: only Inflight's Redis goes away.
    const sim = await startSimulator(["--limiter", "gauge", "--flush-interval", "1"]);
    cleanups.push(() => sim.stop());
    const store = await createTestDb();
    cleanups.push(() => store.close());
    const key = await newKey(sim, 3);
    const sqlite = openSqlite(store.url);
    cleanups.push(() => sqlite.close());
    const conn = connectRedis(redis.url);
    conn.on("error", () => undefined);
    cleanups.push(() => conn.disconnect());
    const config = testRunnerConfig({ DATABASE_URL: store.url, LITELLM_URL: sim.url, LITELLM_MASTER_KEY: sim.masterKey, REDIS_URL: redis.url });
    const runner = new Runner({ config, sqlite, client: new LiteLLMClient({ baseUrl: sim.url, masterKey: sim.masterKey }), redis: conn, holderId: "test-runner", log: quiet });
    runner.start();
    cleanups.push(() => runner.stop());
    const status = new JobStatusStore(sqlite);
    await waitFor("the sampler to run", () => job(status, "limiter-sampler")?.lastOkAt);

    const traffic = runTraffic({ baseUrl: sim.url, key: key.key, clients: 4, durationMs: 8_000, delayS: () => 1 });
    await sleep(1_000);
    await redis.stop();
    redisUp = false;
    const sampler = await waitFor("the sampler to report Redis down", () => (job(status, "limiter-sampler")?.failingSince ? job(status, "limiter-sampler") : undefined));
    expect(sampler.lastError).toMatch(/Redis/);
    const sent = await traffic;
    const keyId = await waitFor("the key", () => sqlite.prepare("SELECT id FROM key WHERE hash = ?").pluck().get(key.token_id) as number | undefined);
    const stored = await waitFor("history to keep flowing without Redis", () => {
      const n = sqlite.prepare("SELECT COUNT(*) FROM request WHERE key_id = ?").pluck().get(keyId) as number;
      return n >= sent.sent && n;
    });
    expect(stored).toBe(sent.sent);
    expect(job(status, "ingest")?.failingSince).toBeNull();
    expect(runner.isLeading()).toBe(true);
    const peak = sqlite.prepare("SELECT MAX(max_in_flight) FROM series_1s WHERE key_id = ?").pluck().get(keyId) as number;
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(3);
  });
});
