import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../../tests/support/redis";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { chat, newKey, upstream } from "./helpers";

const MOCK = { metadata: { allow_client_mock_response: true } };

describe("--stuck-on-timeout (#20256/#1477): timed-out requests never release their count", () => {
  let redis: TestRedis;
  let stuck: TestSimulator;
  let normal: TestSimulator;
  let flaky: TestSimulator;
  let rc: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    [stuck, normal, flaky] = await Promise.all([
      startSimulator(["--limiter", "gauge", "--redis-url", redis.url, "--stuck-on-timeout"]),
      startSimulator(["--limiter", "gauge", "--redis-url", redis.url]),
      startSimulator(["--limiter", "windowed", "--stuck-on-timeout", "--upstream-error-rate", "1", "--latency", "50-100"]),
    ]);
    rc = new Redis(redis.url);
  });
  afterAll(async () => {
    rc?.disconnect();
    await Promise.all([stuck?.stop(), normal?.stop(), flaky?.stop()]);
    await redis?.stop();
  });

  it("leaves the key rejecting everything with nothing in flight after mock_timeout", async () => {
    const { key, hash } = await newKey(stuck, { max_parallel_requests: 2, ...MOCK });
    const timedOut = await Promise.all([1, 2].map(() => chat(stuck, key, { mock_timeout: true, timeout: 0.5 })));
    expect(timedOut.map((r) => r.status)).toEqual([408, 408]);
    expect((await upstream(stuck, hash)).current).toBe(0);
    expect(await rc.zcard(`{api_key:${hash}}:max_parallel_requests`)).toBe(2);
    for (let i = 0; i < 3; i++) expect((await chat(stuck, key, { mock_response: "x" })).status).toBe(429);
    expect((await upstream(stuck, hash)).current).toBe(0);
  });

  it("releases normally without the flag", async () => {
    const { key, hash } = await newKey(normal, { max_parallel_requests: 2, ...MOCK });
    const timedOut = await Promise.all([1, 2].map(() => chat(normal, key, { mock_timeout: true, timeout: 0.5 })));
    expect(timedOut.map((r) => r.status)).toEqual([408, 408]);
    expect(await rc.zcard(`{api_key:${hash}}:max_parallel_requests`)).toBe(0);
    expect((await chat(normal, key, { mock_response: "x" })).status).toBe(200);
  });

  it("leaks on random upstream 502/504s too (--upstream-error-rate)", async () => {
    const { key, hash } = await newKey(flaky, { max_parallel_requests: 1 });
    const first = await chat(flaky, key, {});
    expect([502, 504]).toContain(first.status);
    expect(first.json.error.code).toBe(String(first.status));
    expect((await upstream(flaky, hash)).current).toBe(0);
    const next = await chat(flaky, key, {});
    expect(next.status).toBe(429);
    expect(next.json.error.message).toContain("Limit type: max_parallel_requests");
  });
});
