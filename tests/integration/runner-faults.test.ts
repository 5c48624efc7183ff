// The runner under faults, with real processes: the proxy answering 5xx or refusing connections,
// and Inflight's Redis going away. Nothing is lost once the proxy is back; history keeps flowing
// without Redis. On each store.
import { afterEach, describe, expect, it } from "vitest";
import type { JobStatus } from "../../lib/runner/repository";
import { buildApp, closeApp, createRunner, type App } from "../../lib/server/app";
import type { Store } from "../../lib/store/store";
import { runTraffic } from "../../lib/traffic/generator";
import { startGateway } from "../support/gateway";
import { keyTruth } from "../support/inflight";
import { startRedis } from "../support/redis";
import { testRunnerConfig } from "../support/runner-config";
import { startSimulator, type TestSimulator } from "../support/simulator";
import { createTestDatabase, DIALECTS } from "../support/store";
import { waitFor } from "../support/wait";

const quiet = { warn: () => undefined, info: () => undefined };
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A pause that is the scenario (how long an outage lasts), never a wait for something to happen. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newKey(sim: TestSimulator, limit: number) {
  const res = await fetch(`${sim.url}/key/generate`, {
    method: "POST",
    headers: { authorization: `Bearer ${sim.masterKey}`, "content-type": "application/json" },
    body: JSON.stringify({ max_parallel_requests: limit, metadata: { allow_client_mock_response: true } }),
  });
  return (await res.json()) as { key: string; token_id: string };
}

async function job(store: Store, name: string): Promise<JobStatus | undefined> {
  return (await store.jobs.all()).find((j) => j.name === name);
}

/** The app as the server builds it, over a fresh database of the dialect, and its runner started. */
async function startApp(dialect: (typeof DIALECTS)[number], env: { LITELLM_URL: string; LITELLM_MASTER_KEY: string; REDIS_URL: string }) {
  const db = await createTestDatabase(dialect);
  cleanups.push(() => db.remove());
  const app: App = await buildApp(testRunnerConfig({ ...env, INFLIGHT_DATABASE_URL: db.url }));
  cleanups.push(() => closeApp(app));
  const runner = createRunner(app, quiet)!;
  runner.start();
  cleanups.push(() => runner.stop());
  return { app, runner, store: app.store };
}

describe.each(DIALECTS)("runner faults (%s store)", (dialect) => {
  it("backs off while the proxy answers 503 or refuses connections, says since when, and loses nothing once it is back", async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    const sim = await startSimulator(["--limiter", "windowed", "--redis-url", redis.url, "--window", "2", "--flush-interval", "1"]);
    cleanups.push(() => sim.stop());
    const gateway = await startGateway(sim.url);
    cleanups.push(() => gateway.stop());
    const key = await newKey(sim, 4);
    const { store } = await startApp(dialect, { LITELLM_URL: gateway.url, LITELLM_MASTER_KEY: sim.masterKey, REDIS_URL: redis.url });

    const traffic = runTraffic({ baseUrl: sim.url, key: key.key, clients: 6, durationMs: 14_000, delayS: (i) => (i % 5 === 0 ? 4 : 1.5) });
    // The outage starts once ingest has read through the gateway, not at a guessed moment.
    await waitFor(async () => (await job(store, "ingest"))?.lastOkAt, { what: "ingest to succeed through the gateway", timeoutMs: 30_000, intervalMs: 250 });
    await gateway.set("error");
    const failing503 = await waitFor(
      async () => {
        const j = await job(store, "ingest");
        return j?.failingSince ? j : undefined;
      },
      { what: "ingest failing on 503", timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(failing503.lastError).toMatch(/503/);
    await sleep(1_500); // the scenario: the 503s go on a while before the connections are refused
    await gateway.set("down");
    const refused = await waitFor(
      async () => {
        const j = await job(store, "ingest");
        return j?.lastError?.includes("unreachable") ? j : undefined;
      },
      { what: "ingest failing on refused connections", timeoutMs: 30_000, intervalMs: 250 },
    );
    // The outage keeps its start time across both kinds of failure.
    expect(refused.failingSince).toEqual(failing503.failingSince);
    await sleep(2_000); // the scenario: the proxy stays unreachable a while
    await gateway.set("up");
    const sent = await traffic;

    const stored = await waitFor(
      async () => {
        const t = await keyTruth(store, key.token_id);
        return t && t.admitted + t.rejected >= sent.sent && t;
      },
      { what: "every request to be stored", timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(stored.admitted + stored.rejected).toBe(sent.sent);
    expect(stored.rejected).toBe(sent.rejected);
    expect((await job(store, "ingest"))?.failingSince).toBeNull();
  });

  it("keeps ingesting from spend logs while its Redis is down, and reports the sampler as failing", async () => {
    const redis = await startRedis();
    let redisUp = true;
    cleanups.push(() => redisUp && redis.stop());
    // The simulator keeps its limiter in memory here: only Inflight's Redis goes away.
    const sim = await startSimulator(["--limiter", "gauge", "--flush-interval", "1"]);
    cleanups.push(() => sim.stop());
    const key = await newKey(sim, 3);
    const { store, runner } = await startApp(dialect, { LITELLM_URL: sim.url, LITELLM_MASTER_KEY: sim.masterKey, REDIS_URL: redis.url });
    await waitFor(async () => (await job(store, "limiter-sampler"))?.lastOkAt, { what: "the sampler to run", timeoutMs: 30_000, intervalMs: 250 });

    const traffic = runTraffic({ baseUrl: sim.url, key: key.key, clients: 4, durationMs: 8_000, delayS: () => 1 });
    await sleep(1_000); // the scenario: Redis goes away with the traffic under way
    await redis.stop();
    redisUp = false;
    const sampler = await waitFor(
      async () => {
        const j = await job(store, "limiter-sampler");
        return j?.failingSince ? j : undefined;
      },
      { what: "the sampler to report Redis down", timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(sampler.lastError).toMatch(/Redis/);
    const sent = await traffic;
    const stored = await waitFor(
      async () => {
        const t = await keyTruth(store, key.token_id);
        return t && t.admitted + t.rejected >= sent.sent && t;
      },
      { what: "history to keep flowing without Redis", timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(stored.admitted + stored.rejected).toBe(sent.sent);
    expect((await job(store, "ingest"))?.failingSince).toBeNull();
    expect(runner.isLeading()).toBe(true);
    expect(stored.peak).toBeGreaterThan(0);
    expect(stored.peak).toBeLessThanOrEqual(3);
  });
});
