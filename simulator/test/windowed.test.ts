import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../../tests/support/redis";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { chat, load, newKey, upstream, waitFor } from "./helpers";

const MOCK = { metadata: { allow_client_mock_response: true } };

describe("windowed limiter (era B, #16011) over a real Redis, --window 2", () => {
  let redis: TestRedis;
  let sim: TestSimulator;
  let rc: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    sim = await startSimulator(["--limiter", "windowed", "--window", "2", "--redis-url", redis.url]);
    rc = new Redis(redis.url);
  });
  afterAll(async () => {
    rc?.disconnect();
    await sim?.stop();
    await redis?.stop();
  });

  it("lets upstream concurrency overshoot the limit when requests outlive the window, while also answering 429s", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 5, ...MOCK });
    // 3 s requests, 2 s window: every window roll resets the counter to 1 while up to 5 are still running.
    const counts = await load(sim, key, 200, 8000, { mock_response: "ok", mock_delay: 3 });
    const u = await upstream(sim, hash);
    expect(u.peak, sim.output()).toBeGreaterThan(5);
    expect(counts[429]).toBeGreaterThan(50);
    expect(counts[200]).toBeGreaterThan(5);
    expect(u.current).toBe(0);
  });

  it("keeps a string counter and a window key with TTL = window; the counter goes negative (no floor)", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 3, ...MOCK });
    const ck = `{api_key:${hash}}:max_parallel_requests`;
    const wk = `{api_key:${hash}}:window`;
    const running = Promise.all([chat(sim, key, { mock_response: "x", mock_delay: 3 }), chat(sim, key, { mock_response: "x", mock_delay: 3 })]);
    await waitFor("counter 2", async () => ((await rc.get(ck)) === "2" ? true : undefined));
    expect(await rc.type(ck)).toBe("string");
    expect(await rc.type(wk)).toBe("string");
    expect(Math.abs(Number(await rc.get(wk)) - Date.now() / 1000)).toBeLessThan(3);
    for (const k of [ck, wk]) {
      const ttl = await rc.ttl(k);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2);
    }
    const done = await running;
    expect(done.map((r) => r.status)).toEqual([200, 200]);
    // Both keys expired with the window while the requests ran; each success then did INCRBYFLOAT -1 on a
    // missing key: the counter ends at -2, with the window as TTL (set only because the key had none).
    await waitFor("counter -2", async () => ((await rc.get(ck)) === "-2" ? true : undefined), 3000);
    const ttl = await rc.ttl(ck);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2);
    // remaining = limit - counter, computed right after the increment
    expect(done.map((r) => r.headers["x-ratelimit-api_key-remaining-max_parallel_requests"]).sort()).toEqual(["1", "2"]);
  });

  it("counts rejected requests (increment-before-check) and answers with the era-B 429 body", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 1, ...MOCK });
    const ck = `{api_key:${hash}}:max_parallel_requests`;
    const first = chat(sim, key, { mock_response: "x", mock_delay: 1 });
    await waitFor("admitted", async () => ((await upstream(sim, hash)).current === 1 ? true : undefined));
    const r = await chat(sim, key, { mock_response: "x" });
    expect(r.status).toBe(429);
    expect(r.json).toEqual({
      error: {
        message: expect.stringMatching(
          new RegExp(`^Rate limit exceeded for api_key: ${hash}\\. Limit type: max_parallel_requests\\. Current limit: 1, Remaining: 0\\. Limit resets at: .+ UTC$`),
        ),
        type: "None",
        param: "None",
        code: "429",
      },
    });
    expect(r.headers["retry-after"]).toBe("2");
    expect(r.headers["rate_limit_type"]).toBe("max_parallel_requests");
    // The +1 of the rejected request stays (no release path for 429s).
    expect(await rc.get(ck)).toBe("2");
    // The worker cached counter 2 > 1 locally: further requests are refused without touching Redis.
    const again = await chat(sim, key, { mock_response: "x" });
    expect(again.status).toBe(429);
    expect(await rc.get(ck)).toBe("2");
    expect((await first).status).toBe(200);
  });

  it("decrements even keys without limits on success (INCRBYFLOAT -1) and adds their completion tokens", async () => {
    const { key, hash } = await newKey(sim, MOCK);
    const r = await chat(sim, key, { mock_response: "x" });
    expect(r.status).toBe(200);
    expect(r.headers["x-ratelimit-api_key-limit-max_parallel_requests"]).toBeUndefined();
    await waitFor("decrement", async () => ((await rc.get(`{api_key:${hash}}:max_parallel_requests`)) === "-1" ? true : undefined));
    expect(await rc.get(`{api_key:${hash}}:tokens`)).toBe("20");
    expect(await rc.exists(`{api_key:${hash}}:window`)).toBe(0);
  });
});
