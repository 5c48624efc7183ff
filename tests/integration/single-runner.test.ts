// Two runner processes share one store and Inflight's own Redis: exactly one runs the jobs; when
// it dies (SIGKILL: no goodbye), the other takes the lease over and ingest goes on with nothing
// lost. The lease lives in INFLIGHT_REDIS_URL, never in the proxy's Redis (REDIS_URL), which
// Inflight only reads. On each store.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import Redis from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../lib/store/open";
import { runTraffic } from "../../lib/traffic/generator";
import { keyTruth } from "../support/inflight";
import { startRedis } from "../support/redis";
import { startSimulator } from "../support/simulator";
import { createTestDatabase, DIALECTS } from "../support/store";
import { waitFor } from "../support/wait";

const ROOT = path.resolve(__dirname, "..", "..");
const children: ChildProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of children) {
    try {
      process.kill(-c.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
  while (cleanups.length) await cleanups.pop()!();
});

function spawnRunner(env: Record<string, string>) {
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/runner.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
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
    output: () => out,
    leads: () => /runs the background jobs/.test(out),
    holderId: () => /\[runner\] (\S+) runs the background jobs/.exec(out)?.[1],
    crash: () => process.kill(-child.pid!, "SIGKILL"),
  };
}

describe.each(DIALECTS)("single runner (%s store)", (dialect) => {
  it("one runner leads at a time, the other takes over when it dies, and the proxy's Redis is only read", async () => {
    const [proxyRedis, ownRedis, db] = await Promise.all([startRedis(), startRedis(), createTestDatabase(dialect)]);
    cleanups.push(() => proxyRedis.stop(), () => ownRedis.stop(), () => db.remove());
    const sim = await startSimulator(["--limiter", "gauge", "--redis-url", proxyRedis.url, "--flush-interval", "1"]);
    cleanups.push(() => sim.stop());
    const res = await fetch(`${sim.url}/key/generate`, {
      method: "POST",
      headers: { authorization: `Bearer ${sim.masterKey}`, "content-type": "application/json" },
      body: JSON.stringify({ max_parallel_requests: 3, metadata: { allow_client_mock_response: true } }),
    });
    const key = (await res.json()) as { key: string; token_id: string };
    const env = { INFLIGHT_DATABASE_URL: db.url, REDIS_URL: proxyRedis.url, INFLIGHT_REDIS_URL: ownRedis.url, LITELLM_URL: sim.url, LITELLM_MASTER_KEY: sim.masterKey };
    const a = spawnRunner(env);
    const b = spawnRunner(env);
    const leaseReader = new Redis(ownRedis.url);
    const proxyReader = new Redis(proxyRedis.url);
    try {
      const traffic = runTraffic({ baseUrl: sim.url, key: key.key, clients: 3, durationMs: 14_000, delayS: () => 1 });
      await waitFor(() => a.leads() || b.leads(), { what: "a runner to take the lease", timeoutMs: 20_000, intervalMs: 200 }).catch((e) => {
        throw new Error(`${(e as Error).message}:\n${a.output()}\n${b.output()}`);
      });
      // The scenario, not a wait for something: over one lease TTL (2 s) in which a second leader would show.
      await new Promise((r) => setTimeout(r, 3_000));
      // Exactly one leads, and Inflight's Redis names it.
      expect([a.leads(), b.leads()].filter(Boolean)).toHaveLength(1);
      const [leader, follower] = a.leads() ? [a, b] : [b, a];
      expect(await leaseReader.get("inflight:runner:lease")).toBe(leader.holderId());

      leader.crash();
      await waitFor(() => follower.leads(), { what: "the follower to take over", timeoutMs: 15_000, intervalMs: 200 }).catch((e) => {
        throw new Error(`${(e as Error).message}:\n${follower.output()}`);
      });
      expect(await leaseReader.get("inflight:runner:lease")).toBe(follower.holderId());

      const sent = await traffic;
      const store = await openStore(db.url);
      try {
        let n = 0;
        await waitFor(
          async () => {
            const t = await keyTruth(store, key.token_id);
            n = t ? t.admitted + t.rejected : 0;
            return n >= sent.sent;
          },
          { what: `all ${sent.sent} requests stored`, timeoutMs: 20_000, intervalMs: 300 },
        ).catch(() => undefined); // the count below says how many were
        expect(n).toBe(sent.sent);
      } finally {
        await store.close();
      }
      // Inflight wrote nothing to the proxy's Redis: it holds LiteLLM's keys only.
      expect(await proxyReader.keys("inflight*")).toEqual([]);
    } finally {
      leaseReader.disconnect();
      proxyReader.disconnect();
    }
  });
});
