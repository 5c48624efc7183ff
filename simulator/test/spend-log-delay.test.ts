import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { chat, newKey, request, sleep, upstream, waitFor, ymdHms } from "./helpers";

const MOCK = { metadata: { allow_client_mock_response: true } };
const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

const state = async (sim: TestSimulator) => (await request(sim, "GET", "/sim/state", { key: null })).json;
const setDelay = (sim: TestSimulator, body: unknown) => request(sim, "POST", "/sim/spend-logs/delay", { key: null, body });

/** The row of `requestId` in /spend/logs/ui, or undefined while it is not visible. */
async function row(sim: TestSimulator, hash: string, requestId: string): Promise<{ endTime: string } | undefined> {
  const q = new URLSearchParams({
    start_date: ymdHms(Date.now() - 3600_000),
    end_date: ymdHms(Date.now() + 3600_000),
    api_key: hash,
    request_id: requestId,
  });
  const r = await request(sim, "GET", `/spend/logs/ui?${q}`);
  expect(r.status).toBe(200);
  return r.json.data[0];
}

/**
 * Polls until the row is visible and checks it was not visible earlier than `delayMs` after its endTime: a poll
 * that sees it got its answer at some instant ≥ the moment it became visible, so the clock read after that poll
 * must be ≥ endTime + delay (same machine, same clock).
 */
async function visibleNoSoonerThan(sim: TestSimulator, hash: string, requestId: string, delayMs: number): Promise<void> {
  const seenAt = await waitFor(`row ${requestId}`, async () => {
    const r = await row(sim, hash, requestId);
    return r === undefined ? undefined : { at: Date.now(), endMs: Date.parse(r.endTime) };
  });
  expect(seenAt.at - seenAt.endMs).toBeGreaterThanOrEqual(delayMs);
}

describe("--spend-log-delay: rows visible S seconds after their request ended, on top of the flush interval", () => {
  let delayed: TestSimulator; // --spend-log-delay 2
  let plain: TestSimulator; // no delay at start, changed at runtime by each test

  beforeAll(async () => {
    [delayed, plain] = await Promise.all([
      startSimulator(["--limiter", "gauge", "--spend-log-delay", "2", "--flush-interval", "0.2"]),
      startSimulator(["--limiter", "gauge", "--flush-interval", "0.2"]),
    ]);
    expect(await state(plain)).toMatchObject({ spend_log_delay_s: 0, delayed_spend_logs: 0 }); // without the flag
  });
  // Each test on `plain` starts from no delay and nothing held, whatever ran before it (or failed halfway).
  beforeEach(async () => {
    await setDelay(plain, { seconds: 0 });
  });
  afterAll(async () => {
    await Promise.all([delayed?.stop(), plain?.stop()]);
  });

  it("holds success and 429 rows until 2 s after their end, reports them held in /sim/state, then shows them", async () => {
    expect(delayed.output()).toContain("spend-log-delay=2s");
    const { key, hash } = await newKey(delayed, { max_parallel_requests: 1, ...MOCK });
    const hold = chat(delayed, key, { mock_response: "x", mock_delay: 0.3 });
    await waitFor("the first request admitted", async () => ((await upstream(delayed, hash)).current === 1 ? true : undefined));
    const rejected = await chat(delayed, key, { mock_response: "x" });
    expect(rejected.status).toBe(429);
    const ok = await hold;
    expect(ok.status).toBe(200);

    // Both requests have ended; their rows are held, not queued (so a forced flush shows nothing either).
    expect(await state(delayed)).toMatchObject({ spend_log_delay_s: 2, delayed_spend_logs: 2, queued_spend_logs: 0 });
    expect((await request(delayed, "POST", "/sim/spend-logs/flush", { key: null })).json).toEqual({ flushed: 0 });
    expect(await row(delayed, hash, ok.json.id)).toBeUndefined();
    expect(await row(delayed, hash, rejected.headers["x-litellm-call-id"] as string)).toBeUndefined();

    await visibleNoSoonerThan(delayed, hash, ok.json.id, 2000);
    await visibleNoSoonerThan(delayed, hash, rejected.headers["x-litellm-call-id"] as string, 2000);
    expect(await state(delayed)).toMatchObject({ delayed_spend_logs: 0 });
  });

  it("changes the delay at runtime: raising it holds rows, lowering it releases those now past due", async () => {
    expect(await state(plain)).toMatchObject({ spend_log_delay_s: 0, delayed_spend_logs: 0 });
    const { key, hash } = await newKey(plain, MOCK);

    // The database turns slow.
    expect((await setDelay(plain, { seconds: 3600 })).json).toEqual({ seconds: 3600 });
    const a = await chat(plain, key, { mock_response: "a" });
    expect(a.status).toBe(200);
    expect(await state(plain)).toMatchObject({ spend_log_delay_s: 3600, delayed_spend_logs: 1 });
    // Not a synchronisation: A must have ended well over 2 s before B for the partial release below.
    await sleep(3000);
    const b = await chat(plain, key, { mock_response: "b" });
    expect(b.status).toBe(200);
    expect(await state(plain)).toMatchObject({ delayed_spend_logs: 2 });

    // Down to 2 s: A (ended > 3 s ago) is released at once, B stays held until 2 s after its end.
    expect((await setDelay(plain, { seconds: 2 })).json).toEqual({ seconds: 2 });
    expect(await state(plain)).toMatchObject({ spend_log_delay_s: 2, delayed_spend_logs: 1 });
    await visibleNoSoonerThan(plain, hash, a.json.id, 3000);
    await visibleNoSoonerThan(plain, hash, b.json.id, 2000);

    // Recovered: back to 0, rows flow as without the flag.
    expect((await setDelay(plain, { seconds: 0.5 })).json).toEqual({ seconds: 0.5 });
    expect((await setDelay(plain, { seconds: 0 })).json).toEqual({ seconds: 0 });
    const c = await chat(plain, key, { mock_response: "c" });
    expect(await state(plain)).toMatchObject({ spend_log_delay_s: 0, delayed_spend_logs: 0 });
    await waitFor("row c", async () => await row(plain, hash, c.json.id));
  });

  it("setting the delay to 0 releases every held row", async () => {
    const { key, hash } = await newKey(plain, MOCK);
    await setDelay(plain, { seconds: 86400 });
    const rows = await Promise.all([1, 2, 3].map(() => chat(plain, key, { mock_response: "x" })));
    expect(await state(plain)).toMatchObject({ delayed_spend_logs: 3 });
    await setDelay(plain, { seconds: 0 });
    expect(await state(plain)).toMatchObject({ delayed_spend_logs: 0 });
    for (const r of rows) await waitFor(`row ${r.json.id}`, async () => await row(plain, hash, r.json.id));
  });

  it("refuses a bad body with FastAPI's 422 and keeps the delay", async () => {
    await setDelay(plain, { seconds: 1.5 });
    for (const [body, type] of [
      [{}, "missing"],
      [{ seconds: "soon" }, "float_type"],
      [{ seconds: -1 }, "greater_than_equal"],
      [{ seconds: 86401 }, "less_than_equal"],
      ["not json", "json_invalid"],
      [[1], "model_attributes_type"],
    ] as const) {
      const r = await setDelay(plain, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.json.detail[0].type).toBe(type);
    }
    expect(await state(plain)).toMatchObject({ spend_log_delay_s: 1.5 });
  });
});

describe("--spend-log-delay on the command line", () => {
  const run = (args: string[]) => spawnSync(TSX, ["simulator/src/main.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 20_000 });

  it("exits 2 with one line on a bad value", () => {
    for (const bad of ["-1", "soon", "86401", "1e3"]) {
      const r = run(["--spend-log-delay", bad]);
      expect(r.status, r.stderr).toBe(2);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^simulator: --spend-log-delay (must be a number|needs a value|must be at least 0 and at most 86400)/);
    }
  });

  it("is listed in --help", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--spend-log-delay S");
  });
});
