// `npm run burst` as CI runs it, against the simulator: a correct limiter passes; a windowed counter
// fails as leaky when rounds span a window roll (LiteLLM #16011); per-worker counting (four workers,
// no shared Redis) fails as multiplied; a key with leaked slots fails as stuck; a key whose metadata
// forbids mocks gets the probe and nothing more; the temporary twin key is gone afterwards, also after
// a cancel (SIGINT).
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../support/redis";
import { leakSlots, simAdmin, startSimulator, type TestSimulator } from "../support/simulator";
import { waitFor } from "../support/wait";

const ROOT = path.resolve(__dirname, "..", "..");

interface CliRun {
  code: number | null;
  out: string;
  lastLine: string;
}

/** Runs the burst CLI against `sim`; `onLine` sees each line of its output as it comes (to cancel mid-run). */
function burst(sim: TestSimulator, args: string[], env: Record<string, string> = {}, onLine?: (line: string, kill: () => void) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/burst.ts", ...args], {
      cwd: ROOT,
      // The simulators flush spend logs every 0.5 s: a row missing after 5 s more never comes.
      env: { ...process.env, LITELLM_URL: sim.url, LITELLM_MASTER_KEY: sim.masterKey, INGEST_FLUSH_LAG_S: "5", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let pending = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d;
      pending += d;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const l of lines) onLine?.(l, () => child.kill("SIGINT"));
    });
    child.stderr.on("data", (d: Buffer) => (out += d));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, out, lastLine: out.trim().split("\n").at(-1) ?? "" }));
  });
}

/** Keys the simulator holds whose alias marks a burst twin. */
async function twins(sim: TestSimulator): Promise<string[]> {
  const list = await simAdmin(sim, "GET", "/key/list?return_full_object=true&size=100");
  return (list.keys as { key_alias: string | null }[]).map((k) => k.key_alias ?? "").filter((a) => a.startsWith("inflight-burst-"));
}

describe("npm run burst against the simulator", () => {
  let redis: TestRedis;
  let gauge: TestSimulator;
  let workers: TestSimulator;
  let windowed: TestSimulator;
  let leaky: TestSimulator;
  beforeAll(async () => {
    redis = await startRedis();
    [gauge, workers, windowed, leaky] = await Promise.all([
      startSimulator(["--limiter", "gauge", "--flush-interval", "0.5"]),
      // Four workers, each counting the limit on its own (no shared Redis).
      startSimulator(["--limiter", "gauge", "--workers", "4", "--flush-interval", "0.5"]),
      // LiteLLM's windowed counter, with a 2 s window.
      startSimulator(["--limiter", "windowed", "--window", "2", "--flush-interval", "0.5"]),
      // Requests on /v1/messages keep their slot (#27955).
      startSimulator(["--limiter", "gauge", "--redis-url", redis.url, "--leak-metadata-routes", "--flush-interval", "0.5"]),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([gauge?.stop(), workers?.stop(), windowed?.stop(), leaky?.stop()]);
    await redis?.stop();
  });

  it("PASS on a correct limiter, by alias, through a twin key that is deleted afterwards", async () => {
    await simAdmin(gauge, "POST", "/key/generate", { key_alias: "pass-me", max_parallel_requests: 3 });
    const r = await burst(gauge, ["--key", "pass-me", "--hold", "1"]);
    expect(r.lastLine, r.out).toBe("verdict: PASS");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/sent +9 within \d+ ms · admitted 3 · refused \(429\) 6 \(max_parallel_requests\)/);
    expect(r.out).toMatch(/peak +3 admitted in flight at once/);
    // The proxy's own clock, from the spend-log rows of the run's call ids.
    expect(r.out).toMatch(/proxy +3 admitted in flight at once by the spend logs \(the proxy's clock at .*; 3 of 3 rows\)/);
    expect(r.out).toMatch(/the proxy's spend logs agree: 3 admitted requests ran at once by its own clock/);
    expect(await twins(gauge)).toEqual([]);
  });

  it("FAIL-multiplied with four workers counting apart, exit 1", async () => {
    const k = await simAdmin(workers, "POST", "/key/generate", { key_alias: "per-worker", max_parallel_requests: 2 });
    const r = await burst(workers, ["--key", k.token_id, "--n", "24", "--hold", "1.5"]);
    expect(r.lastLine, r.out).toBe("verdict: FAIL-multiplied");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/8 requests were admitted at once, about 4× the limit of 2/);
    expect(await twins(workers)).toEqual([]);
  });

  it("FAIL-leaky on a windowed counter when rounds span a window roll: each round kept to the limit, two ran together", async () => {
    await simAdmin(windowed, "POST", "/key/generate", { key_alias: "windowed", max_parallel_requests: 3 });
    // Three rounds over 1.25 × the proxy's 2 s window (1.25 s apart), each request holding 3 s.
    const r = await burst(windowed, ["--key", "windowed", "--rounds", "3"], { LITELLM_RATE_LIMIT_WINDOW_SIZE: "2" });
    expect(r.lastLine, r.out).toBe("verdict: FAIL-leaky");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/3 rounds 1.25 s apart/);
    expect(r.out).toMatch(/6 requests of 2 rounds ran at once against a limit of 3 \(3 over\), though no round got more than 3 in/);
    expect(r.out).toMatch(/peak +6 admitted in flight at once/);
    expect(r.out).toMatch(/proxy +6 admitted in flight at once by the spend logs/);
    expect(await twins(windowed)).toEqual([]);
  });

  it("FAIL-stuck on the key itself when slots leaked: fewer admitted than the limit with nothing else in flight", async () => {
    const k = await simAdmin(leaky, "POST", "/key/generate", { key_alias: "stuck", max_parallel_requests: 3, metadata: { allow_client_mock_response: true } });
    // Two requests completed on /v1/messages: their slots are never released.
    await leakSlots(leaky, k.key, 2);
    const r = await burst(leaky, ["--key", k.token_id, "--raw-key-env", "BURST_KEY", "--hold", "1"], { BURST_KEY: k.key });
    expect(r.lastLine, r.out).toBe("verdict: FAIL-stuck");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/only 1 of 9 requests were admitted against a limit of 3/);
  });

  it("the key itself without mocks allowed: the probe and nothing more, INCONCLUSIVE with what to change, exit 2", async () => {
    const k = await simAdmin(gauge, "POST", "/key/generate", { key_alias: "no-mocks", max_parallel_requests: 2 });
    const r = await burst(gauge, ["--key", "no-mocks", "--raw-key-env", "BURST_KEY"], { BURST_KEY: k.key });
    expect(r.lastLine, r.out).toMatch(/^verdict: INCONCLUSIVE \(the proxy did not return the mock answer.*allow_client_mock_response: true/);
    expect(r.code).toBe(2);
    // The proxy logged one request of the key: the probe.
    await simAdmin(gauge, "POST", "/sim/spend-logs/flush");
    const q = new URLSearchParams({ start_date: "2000-01-01 00:00:00", end_date: "2100-01-01 00:00:00", api_key: k.token_id, page_size: "100" });
    const rows = await simAdmin(gauge, "GET", `/spend/logs/ui?${q}`);
    expect(rows.total).toBe(1);
  });

  it("standalone, --allow-mock-metadata is refused before anything changes: only an Inflight stores what to put back", async () => {
    const metadata = { owner: "team-x", allow_client_mock_response: false };
    const k = await simAdmin(gauge, "POST", "/key/generate", { key_alias: "consent", max_parallel_requests: 2, metadata });
    const r = await burst(gauge, ["--key", "consent", "--raw-key-env", "BURST_KEY", "--allow-mock-metadata"], { BURST_KEY: k.key });
    expect(r.lastLine, r.out).toMatch(/^verdict: INCONCLUSIVE \(--allow-mock-metadata runs through an Inflight \(INFLIGHT_URL and INFLIGHT_TOKEN\)/);
    expect(r.code).toBe(2);
    expect((await simAdmin(gauge, "GET", `/key/info?key=${k.token_id}`)).info.metadata).toEqual(metadata);
    expect(r.out).not.toContain(k.key);
  });

  it("a cancel (SIGINT) mid-burst aborts the requests and still deletes the twin key", async () => {
    await simAdmin(gauge, "POST", "/key/generate", { key_alias: "cancel-me", max_parallel_requests: 2 });
    let killed = false;
    const r = await burst(gauge, ["--key", "cancel-me", "--hold", "20"], {}, (line, kill) => {
      if (!killed && line.startsWith("probe:")) {
        killed = true;
        // Once the burst is in flight (its first progress line), not before.
        setTimeout(kill, 500);
      }
    });
    expect(killed).toBe(true);
    expect(r.lastLine, r.out).toBe("verdict: INCONCLUSIVE (cancelled)");
    expect(r.code).toBe(2);
    expect(r.out).toContain("twin key deleted");
    await waitFor(async () => (await twins(gauge)).length === 0, { what: "the twin key gone", timeoutMs: 5_000 });
  });
});
