import { spawn, spawnSync } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startSimulator } from "../../tests/support/simulator";
import { request } from "./helpers";
import { parseArgs, UsageError } from "../src/config";

const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const env = (e: Record<string, string>) => e as unknown as NodeJS.ProcessEnv;

function run(args: string[]) {
  return spawnSync(TSX, ["simulator/src/main.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 20_000 });
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });

describe("command line", () => {
  it("parses every flag, in both --flag value and --flag=value forms", () => {
    const cfg = parseArgs(
      [
        "--port=4100", "--master-key", "sk-x", "--redis-url", "redis://127.0.0.1:6390", "--limiter", "gauge", "--workers", "3",
        "--window=5", "--flush-interval", "0.5", "--spend-log-delay", "2.5", "--latency", "10-20", "--stuck-on-timeout",
        "--leak-metadata-routes", "--slot-ttl=20",
        "--upstream-error-rate", "0.25", "--demo", "--seed-spend-logs", "1000", "--data-dir", "data/sim", "--seed=42",
        "--viewer-key", "sk-viewer", "--upperbound-rpm", "100", "--upperbound-tpm=5000", "--upperbound-max-parallel", "0",
        "--tracker", "--tracker-redis-url", "redis://127.0.0.1:6391",
      ],
      env({}),
    );
    expect(cfg).toEqual({
      port: 4100, masterKey: "sk-x", redisUrl: "redis://127.0.0.1:6390", limiter: "gauge", workers: 3, window: 5, flushInterval: 0.5,
      spendLogDelay: 2.5, latencyMinMs: 10, latencyMaxMs: 20, stuckOnTimeout: true, leakMetadataRoutes: true, slotTtl: 20,
      upstreamErrorRate: 0.25, demo: true,
      seedSpendLogs: 1000, dataDir: "data/sim", seed: 42, viewerKey: "sk-viewer",
      upperbound: { rpm_limit: 100, tpm_limit: 5000, max_parallel_requests: 0 }, trackerRedisUrl: "redis://127.0.0.1:6391",
    });
    expect(parseArgs([], env({}))).toMatchObject({ port: 4000, masterKey: "sk-master", redisUrl: null, limiter: "windowed", workers: 1, window: 60, flushInterval: 10, spendLogDelay: 0, latencyMinMs: 500, latencyMaxMs: 3000, dataDir: null, seed: null, leakMetadataRoutes: false, slotTtl: 3600, trackerRedisUrl: null });
    expect(parseArgs(["--port", "0"], env({}))).toMatchObject({ port: 0 }); // a free port, printed when listening
    expect(parseArgs(["--seed", "4294967295"], env({}))).toMatchObject({ seed: 4294967295 });
    expect(parseArgs([], env({ LITELLM_MASTER_KEY: "sk-from-env" }))).toMatchObject({ masterKey: "sk-from-env" });
    expect(parseArgs(["--master-key", "sk-flag"], env({ LITELLM_MASTER_KEY: "sk-from-env" }))).toMatchObject({ masterKey: "sk-flag" });
    expect(parseArgs([], env({}))).toMatchObject({ viewerKey: null, upperbound: { rpm_limit: null, tpm_limit: null, max_parallel_requests: null } });
    expect(parseArgs([], env({ LITELLM_VIEWER_KEY: "sk-viewer-env" }))).toMatchObject({ viewerKey: "sk-viewer-env" });
    expect(parseArgs(["--viewer-key", "sk-viewer-flag"], env({ LITELLM_VIEWER_KEY: "sk-viewer-env" }))).toMatchObject({ viewerKey: "sk-viewer-flag" });
    for (const bad of [
      ["--nope"], ["--limiter", "fast"], ["--workers", "0"], ["--latency", "3000-500"], ["--upstream-error-rate", "2"], ["--window"],
      ["--port", "x"], ["--port", "65536"], ["--spend-log-delay", "-1"], ["--spend-log-delay", "86401"], ["--seed", "-1"], ["--seed", "4294967296"], ["--seed", "1.5"],
      ["--viewer-key", "viewer"], ["--viewer-key", "sk-master"], ["--upperbound-rpm", "-1"], ["--upperbound-tpm", "1.5"], ["--upperbound-max-parallel", "x"],
      // the gauge's flags, with another limiter or a bad TTL
      ["--leak-metadata-routes"], ["--limiter", "legacy", "--leak-metadata-routes"], ["--limiter", "windowed", "--slot-ttl", "20"],
      ["--limiter", "gauge", "--slot-ttl", "0"], ["--limiter", "gauge", "--slot-ttl", "1.5"], ["--limiter", "gauge", "--slot-ttl", "86401"],
      ["--limiter", "gauge", "--leak-metadata-routes=yes"],
    ]) {
      expect(() => parseArgs(bad, env({})), bad.join(" ")).toThrow(UsageError);
    }
  });

  it("exits 2 with one readable line on a bad flag", () => {
    for (const [args, msg] of [
      [["--bogus"], "unknown flag --bogus"],
      [["--limiter", "sometimes"], "--limiter must be gauge, windowed or legacy"],
      [["--latency", "fast"], "--latency must be MIN-MAX"],
      [["--leak-metadata-routes"], "--leak-metadata-routes needs --limiter gauge, got windowed"],
      [["--limiter", "legacy", "--slot-ttl", "20"], "--slot-ttl needs --limiter gauge, got legacy"],
      [["--tracker"], "--tracker needs --tracker-redis-url or --redis-url"],
    ] as const) {
      const r = run([...args]);
      expect(r.status, r.stderr).toBe(2);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(msg);
      expect(lines[0].startsWith("simulator: ")).toBe(true);
    }
  });

  it("stops cleanly on SIGTERM and on SIGINT, freeing its port", async () => {
    const sim = await startSimulator(["--demo"]);
    expect((await request(sim, "GET", "/health/liveliness", { key: null })).status).toBe(200);
    // the demo keys exist and the demo traffic reaches the server over HTTP
    const state = await request(sim, "GET", "/sim/state", { key: null });
    expect(state.json.demo_keys.map((k: { alias: string }) => k.alias)).toEqual(["demo-leaky", "demo-healthy", "demo-unlimited", "demo-throttled"]);
    await sim.stop();
    expect(sim.output()).toContain("simulator stopped (SIGTERM)");
    expect(await portOpen(sim.port)).toBe(false);

    // Its own process, to send SIGINT; on a port it takes itself and names.
    const child = spawn(TSX, ["simulator/src/main.ts", "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(out)), 20_000);
      child.stdout.on("data", () => {
        const m = /simulator listening on http:\/\/127\.0\.0\.1:(\d+)\n/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(Number(m[1]));
        }
      });
    });
    expect(port).toBeGreaterThan(0);
    const code = new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    child.kill("SIGINT");
    expect(await code).toBe(0);
    expect(out).toContain("simulator stopped (SIGINT)");
    expect(await portOpen(port)).toBe(false);
  });

  it("refuses a port in use with a readable error", async () => {
    const sim = await startSimulator([]);
    try {
      await expect(startSimulator(["--port", String(sim.port)])).rejects.toThrow(/already in use/);
    } finally {
      await sim.stop();
    }
  });
});
