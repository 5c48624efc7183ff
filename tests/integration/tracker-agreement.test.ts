// The tracker against spend logs, request by request, in a runner process: the simulator with
// --tracker writes each request's start and end to Redis as the callback does, and its spend-log
// rows a flush later; the runner pairs every admitted request by litellm_call_id (its limiter 429s
// never start, so they are left out) and reports the agreement in its tracker job, which the health
// summary shows. Nothing is seen on one side only. The runner also writes the live seconds (the key
// chart's live edge): second by second they match the truth spend logs settle, within one request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { summarisePipeline } from "../../lib/health/pipeline";
import { migrateStore } from "../../lib/store/migrate";
import { openStore } from "../../lib/store/open";
import type { Store } from "../../lib/store/store";
import { runTraffic } from "../../lib/traffic/generator";
import { startRedis, type TestRedis } from "../support/redis";
import { spawnRunner } from "../support/runner-process";
import { simAdmin, startSimulator, type TestSimulator } from "../support/simulator";
import { createTestDatabase } from "../support/store";
import { waitFor } from "../support/wait";

describe("tracker agreement with spend logs, in a runner", () => {
  const cleanups: (() => unknown)[] = [];
  let redis: TestRedis;
  let sim: TestSimulator;
  let db: { url: string; remove(): Promise<void> };
  let store: Store;

  beforeAll(async () => {
    redis = await startRedis();
    // Two workers without shared limiter state: the key leaks past its limit and gets 429s too.
    sim = await startSimulator(["--limiter", "gauge", "--workers", "2", "--flush-interval", "0.5", "--tracker", "--tracker-redis-url", redis.url]);
    db = await createTestDatabase("sqlite");
    await migrateStore(db.url);
    store = await openStore(db.url);
  }, 60_000);
  afterAll(async () => {
    while (cleanups.length) await cleanups.pop()!();
    await store?.close();
    await Promise.all([sim?.stop(), redis?.stop(), db?.remove()]);
  });

  it("every admitted request is paired and agrees; 429s are left out; the health summary shows it; live seconds match settled truth", { timeout: 120_000 }, async () => {
    const key = await simAdmin(sim, "POST", "/key/generate", { key_alias: "paired", max_parallel_requests: 2, metadata: { allow_client_mock_response: true } });
    const runner = spawnRunner(
      {
        INFLIGHT_DATABASE_URL: db.url,
        LITELLM_URL: sim.url,
        LITELLM_MASTER_KEY: sim.masterKey,
        REDIS_URL: "",
        INFLIGHT_REDIS_URL: "",
        INFLIGHT_TRACKER_REDIS_URL: redis.url,
        CATALOG_SYNC_INTERVAL_S: "5",
        INGEST_POLL_INTERVAL_S: "1",
        INGEST_MAX_REQUEST_S: "10",
        INGEST_FLUSH_LAG_S: "2",
        INGEST_CLOCK_SKEW_S: "1",
        INGEST_BACKFILL_HOURS: "1",
        TRACKER_INTERVAL_MS: "200",
      },
      cleanups,
    );
    // The runner reads the tracker from its first tick on: traffic starts once it has.
    await waitFor(async () => {
      if (runner.exited()) throw new Error(`the runner exited:\n${runner.output()}`);
      return (await store.jobs.all()).some((j) => j.name === "tracker" && j.lastOkAt);
    }, {
      what: "the runner's first tracker tick",
      timeoutMs: 30_000,
      intervalMs: 200,
      detail: () => runner.output(),
    });
    const trafficFrom = Date.now();
    const t = await runTraffic({ baseUrl: sim.url, key: key.key, clients: 6, durationMs: 5_000, delayS: (i) => 0.2 + (i % 5) * 0.2 });
    expect(t.rejected, "the leak and the limit both show: some 429s").toBeGreaterThan(0);

    const admitted = async () => {
      const k = await store.catalog.keyByHash(key.token_id);
      const [tot] = k ? await store.series.totals([k.id], "1s", [[0, 2 ** 40]]) : [];
      return tot?.admitted ?? 0;
    };
    const agreement = async () => summarisePipeline(await store.jobs.all()).tracker?.agreement ?? null;
    // Spend logs trail by a flush and a poll; every admitted request stored is then paired.
    let seen = "";
    await waitFor(
      async () => {
        const [n, a] = [await admitted(), await agreement()];
        seen = `${JSON.stringify(a)}; ${n} of ${t.ok} admitted requests stored`;
        return n === t.ok && a !== null && a.compared === n;
      },
      { what: "every admitted request stored and paired", timeoutMs: 60_000, intervalMs: 300, detail: () => `${seen}\n${runner.output()}` },
    );
    const a = (await agreement())!;
    expect(a).toMatchObject({ compared: t.ok, agreed: t.ok, rate: 1, unlogged: 0, untracked: 0, concern: null });
    expect(a.startDiffP95Ms).toBeLessThanOrEqual(a.agreeMs);
    expect(a.endDiffP95Ms).toBeLessThanOrEqual(a.agreeMs);

    // Live seconds against the settled truth of the same seconds.
    const k = (await store.catalog.keyByHash(key.token_id))!;
    const [fromSec, toSec] = [Math.floor(trafficFrom / 1000) - 1, Math.ceil(Date.now() / 1000)];
    const settled = new Map((await store.series.buckets({ keyIds: [k.id], resolution: "1s", fromSec, toSec, bucketSec: 1 })).map((b) => [b.t, b.maxInFlight]));
    // A live second is written once it is 2 s behind now (and the next tick): wait for the last one.
    const lastSec = Math.max(...[...settled].filter(([, n]) => n > 0).map(([sec]) => sec));
    const live = await waitFor(
      async () => {
        const m = new Map((await store.live.buckets(k.id, fromSec, toSec, 1)).map((b) => [b.t, b.maxInFlight]));
        return m.has(lastSec) && m;
      },
      { what: "the live seconds up to the traffic's last", timeoutMs: 15_000, intervalMs: 200, detail: () => runner.output() },
    );
    expect(live.size, "live seconds of the traffic").toBeGreaterThanOrEqual(4);
    const diffs = [...new Set([...live.keys(), ...settled.keys()])].map((sec) => Math.abs((live.get(sec) ?? 0) - (settled.get(sec) ?? 0)));
    const table = [...new Set([...live.keys(), ...settled.keys()])].sort().map((sec) => `${sec % 1000}: live ${live.get(sec) ?? 0} settled ${settled.get(sec) ?? 0}`);
    expect(Math.max(...diffs), table.join("\n")).toBeLessThanOrEqual(1);
    // The leak shows live too: more in flight than the limit of 2.
    expect(Math.max(...live.values())).toBeGreaterThan(2);
    await runner.stop();
  });
});
