import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../../tests/support/redis";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { chat, load, newKey, request, sleep, upstream, waitFor } from "./helpers";

const MOCK = { metadata: { allow_client_mock_response: true } };

describe("legacy limiter (era A, v1 per-minute in-process dict)", () => {
  let redis: TestRedis;
  let sim: TestSimulator;
  let rc: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    sim = await startSimulator(["--limiter", "legacy", "--redis-url", redis.url]);
    rc = new Redis(redis.url);
  });
  afterAll(async () => {
    rc?.disconnect();
    await sim?.stop();
    await redis?.stop();
  });

  it("holds the limit within a minute, answers the v1 429 text, and writes nothing to Redis", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 3, rpm_limit: 1000, ...MOCK });
    // Stay inside one minute (the limiter's counts are per minute): if the boundary is less than 15 s away, sleep
    // past it. A wait for a clock instant, the scenario's own, not for something to happen.
    const toNext = 60000 - (Date.now() % 60000);
    if (toNext < 15000) await sleep(toNext + 100);
    const counts = await load(sim, key, 50, 2000, { mock_response: "ok", mock_delay: 0.3 });
    expect((await upstream(sim, hash)).peak).toBe(3);
    expect(counts[429]).toBeGreaterThan(0);

    const hold = [1, 2, 3].map(() => chat(sim, key, { mock_response: "ok", mock_delay: 1 }));
    await waitFor("3 in flight", async () => ((await upstream(sim, hash)).current === 3 ? true : undefined));
    const t0 = Date.now();
    const r = await chat(sim, key, { mock_response: "ok" });
    const t1 = Date.now();
    expect(r.status).toBe(429);
    expect(r.json.error.type).toBe("None");
    expect(r.json.error.param).toBe("None");
    expect(r.json.error.code).toBe("429");
    expect(r.json.error.message).toMatch(
      /^LiteLLM Rate Limit Handler for rate limit type = key\. Crossed TPM \/ RPM \/ Max Parallel Request Limit\. current rpm: \d+, rpm limit: 1000, current tpm: \d+, tpm limit: 9223372036854775807, current max_parallel_requests: 3, max_parallel_requests: 3$/,
    );
    // str(time_to_next_minute()): seconds to the next minute as a Python float ("59.793"; "60.0" on the boundary), not whole seconds
    const retryAfter = r.headers["retry-after"] as string;
    expect(retryAfter).toMatch(/^\d{1,2}\.\d{1,6}$/);
    const retryMs = Math.round(Number(retryAfter) * 1000);
    expect(retryMs).toBeGreaterThan(0);
    expect(retryMs).toBeLessThanOrEqual(60000);
    // it counts down to the minute boundary that follows the moment the request was rejected
    expect((t1 + retryMs) % 60000).toBeLessThanOrEqual(t1 - t0);
    expect(r.headers["rate_limit_type"]).toBeUndefined();
    const ok = await Promise.all(hold);
    expect(ok.map((x) => x.status)).toEqual([200, 200, 200]);
    // v1 success headers: remaining/limit for rpm (tpm unset: no header), no parallel-request header
    expect(ok[0].headers["x-ratelimit-limit-requests"]).toBe("1000");
    expect(Number(ok[0].headers["x-ratelimit-remaining-requests"])).toBeLessThan(1000);
    expect(ok[0].headers["x-ratelimit-limit-tokens"]).toBeUndefined();
    expect(ok[0].headers["x-ratelimit-api_key-remaining-max_parallel_requests"]).toBeUndefined();
    expect(await rc.dbsize()).toBe(0);
    // the per-minute dict lives in the worker's memory
    const state = await request(sim, "GET", "/sim/state", { key: null });
    const minuteKeys = Object.keys(state.json.worker_local_caches[0]).filter((k) => k.startsWith(`${hash}::`));
    expect(minuteKeys.length).toBeGreaterThan(0);
    expect(minuteKeys[0]).toMatch(new RegExp(`^${hash}::\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d::request_count$`));
  });

  it("forgets requests that cross a minute boundary, so concurrency resets every minute", { timeout: 90_000 }, async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 3, ...MOCK });
    // Waits for clock instants, the scenario's own: at least 5 s of minute M left for the three to start and
    // the fourth to be refused in it.
    let toNext = 60000 - (Date.now() % 60000);
    if (toNext < 5000) {
      await sleep(toNext + 100);
      toNext = 60000 - (Date.now() % 60000);
    }
    // three requests that start in minute M and end 4 s into minute M+1 (the checks below happen in between)
    const delay = (toNext + 4000) / 1000;
    const old = [1, 2, 3].map(() => chat(sim, key, { mock_response: "x", mock_delay: delay }));
    await waitFor("3 in flight", async () => ((await upstream(sim, hash)).current === 3 ? true : undefined));
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(429);
    await sleep(60000 - (Date.now() % 60000) + 200); // into minute M+1, the old three still running
    expect((await upstream(sim, hash)).current).toBe(3);
    const fresh = [1, 2, 3].map(() => chat(sim, key, { mock_response: "x", mock_delay: 1 }));
    await waitFor("6 in flight", async () => ((await upstream(sim, hash)).peak === 6 ? true : undefined), 3000);
    expect((await Promise.all([...old, ...fresh])).map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
  });
});
