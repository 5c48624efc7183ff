// Two runner processes share one store and one Redis: exactly one runs the jobs; when it dies
// (SIGKILL: no goodbye), the other takes the lease over and ingest goes on with nothing lost.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import Redis from "ioredis";
import { openSqlite } from "../../lib/store/sqlite";
import { createTestDb, type TestDb } from "../support/db";
import { startRedis, type TestRedis } from "../support/redis";
import { startSimulator, type TestSimulator } from "../support/simulator";
import { runTraffic } from "../support/traffic";

const ROOT = path.resolve(__dirname, "..", "..");
let redis: TestRedis;
let sim: TestSimulator;
let store: TestDb;
const children: ChildProcess[] = [];

beforeAll(async () => {
  [redis, store] = await Promise.all([startRedis(), createTestDb()]);
  sim = await startSimulator(["--limiter", "gauge", "--redis-url", redis.url, "--flush-interval", "1"]);
});
afterAll(async () => {
  for (const c of children) {
    try {
      process.kill(-c.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await Promise.all([sim?.stop(), redis?.stop(), store?.close()]);
});

function spawnRunner(name: string) {
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/runner.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: store.url,
      REDIS_URL: redis.url,
      LITELLM_URL: sim.url,
      LITELLM_MASTER_KEY: sim.masterKey,
      RUNNER_LEASE_TTL_S: "2",
      INGEST_POLL_INTERVAL_S: "1",
      INGEST_FLUSH_LAG_S: "3",
      INGEST_MAX_REQUEST_S: "30",
      INGEST_BACKFILL_HOURS: "1",
      CATALOG_SYNC_INTERVAL_S: "5",
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: tsx runs the runner in a grandchild, and a crash must take both.
    detached: true,
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  children.push(child);
  return {
    name,
    child,
    output: () => out,
    leads: () => /runs the background jobs/.test(out),
    holderId: () => /\[runner\] (\S+) runs the background jobs/.exec(out)?.[1],
    crash: () => process.kill(-child.pid!, "SIGKILL"),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it("one runner leads at a time and the other takes over when it dies", async () => {
  const res = await fetch(`${sim.url}/key/generate`, {
    method: "POST",
    headers: { authorization: `Bearer ${sim.masterKey}`, "content-type": "application/json" },
    body: JSON.stringify({ max_parallel_requests: 3, metadata: { allow_client_mock_response: true } }),
  });
  const key = (await res.json()) as { key: string; token_id: string };
  const a = spawnRunner("a");
  const b = spawnRunner("b");
  const leaseReader = new Redis(redis.url);
  try {
    const traffic = runTraffic({ baseUrl: sim.url, key: key.key, clients: 3, durationMs: 14_000, delayS: () => 1 });
    const until = Date.now() + 20_000;
    while (!a.leads() && !b.leads()) {
      if (Date.now() > until) throw new Error(`no runner took the lease:\n${a.output()}\n${b.output()}`);
      await sleep(200);
    }
    await sleep(3_000);
    // Exactly one leads, and the Redis lease names it.
    expect([a.leads(), b.leads()].filter(Boolean)).toHaveLength(1);
    const [leader, follower] = a.leads() ? [a, b] : [b, a];
    const holder = await leaseReader.get("inflight:runner:lease");
    expect(holder).toBe(leader.holderId());

    leader.crash();
    const deadline = Date.now() + 15_000;
    while (!follower.leads()) {
      if (Date.now() > deadline) throw new Error(`the follower did not take over:\n${follower.output()}`);
      await sleep(200);
    }
    expect(await leaseReader.get("inflight:runner:lease")).toBe(follower.holderId());

    const sent = await traffic;
    const sqlite = openSqlite(store.url);
    try {
      const keyId = sqlite.prepare("SELECT id FROM key WHERE hash = ?").pluck().get(key.token_id) as number;
      const stopAt = Date.now() + 20_000;
      let n = 0;
      while (Date.now() < stopAt) {
        n = sqlite.prepare("SELECT COUNT(*) FROM request WHERE key_id = ?").pluck().get(keyId) as number;
        if (n >= sent.sent) break;
        await sleep(300);
      }
      expect(n).toBe(sent.sent);
    } finally {
      sqlite.close();
    }
  } finally {
    leaseReader.disconnect();
  }
});
