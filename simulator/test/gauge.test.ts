import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../lib/traffic/prng";
import { startRedis, type TestRedis } from "../../tests/support/redis";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { chat, load, newKey, request, sleep, upstream, waitFor } from "./helpers";

const MOCK = { metadata: { allow_client_mock_response: true } };

describe("gauge limiter (era C, PR #32441) over a real Redis", () => {
  let redis: TestRedis;
  let sim: TestSimulator;
  let rc: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    sim = await startSimulator(["--limiter", "gauge", "--redis-url", redis.url, "--flush-interval", "1"]);
    rc = new Redis(redis.url);
  });
  afterAll(async () => {
    rc?.disconnect();
    await sim?.stop();
    await redis?.stop();
  });

  it("never lets upstream concurrency exceed the limit under 200 concurrent clients", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 5, ...MOCK });
    const counts = await load(sim, key, 200, 4000, { mock_response: "ok", mock_delay: 0.3 });
    const u = await upstream(sim, hash);
    expect(u.peak, sim.output()).toBe(5); // reached, never above
    expect(u.current).toBe(0);
    expect(counts[200]).toBeGreaterThan(20);
    expect(counts[429]).toBeGreaterThan(100);
    expect(Object.keys(counts).sort()).toEqual(["200", "429"]);
    // every slot was released by id
    await waitFor("slots released", async () => ((await rc.zcard(`{api_key:${hash}}:max_parallel_requests`)) === 0 ? true : undefined));
  });

  it("keeps the gauge as a ZSET of uuid4-hex slots scored by Redis TIME, EXPIRE 3600, released on success", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 4, ...MOCK });
    const gk = `{api_key:${hash}}:max_parallel_requests`;
    const running = Promise.all([1, 2, 3].map(() => chat(sim, key, { mock_response: "x", mock_delay: 1.5 })));
    await waitFor("3 slots", async () => ((await rc.zcard(gk)) === 3 ? true : undefined));
    expect(await rc.type(gk)).toBe("zset");
    const members = (await rc.zrange(gk, 0, "-1", "WITHSCORES")) as string[];
    const [redisNow] = await rc.time();
    for (let i = 0; i < members.length; i += 2) {
      expect(members[i]).toMatch(/^[0-9a-f]{32}$/);
      expect(Number.isInteger(Number(members[i + 1]))).toBe(true);
      expect(Math.abs(Number(members[i + 1]) - Number(redisNow))).toBeLessThanOrEqual(3);
    }
    const ttl = await rc.ttl(gk);
    expect(ttl).toBeGreaterThan(3590);
    expect(ttl).toBeLessThanOrEqual(3600);
    const done = await running;
    expect(done.map((r) => r.status)).toEqual([200, 200, 200]);
    // in-flight 1..3 after acquire: remaining = limit - in_flight_after_acquire, never negative
    const remaining = done.map((r) => Number(r.headers["x-ratelimit-api_key-remaining-max_parallel_requests"])).sort();
    expect(remaining).toEqual([1, 2, 3]);
    expect(done[0].headers["x-ratelimit-api_key-limit-max_parallel_requests"]).toBe("4");
    await waitFor("released", async () => ((await rc.zcard(gk)) === 0 ? true : undefined));
  });

  it("releases the slot when the client disconnects mid-request", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 1, ...MOCK });
    const gk = `{api_key:${hash}}:max_parallel_requests`;
    const ac = new AbortController();
    const pending = chat(sim, key, { mock_response: "x", mock_delay: 30 }, ac.signal).catch((e) => e);
    await waitFor("acquired", async () => ((await rc.zcard(gk)) === 1 ? true : undefined));
    expect((await upstream(sim, hash)).current).toBe(1);
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(429);
    ac.abort();
    await pending;
    await waitFor("slot released on disconnect", async () => ((await rc.zcard(gk)) === 0 ? true : undefined));
    expect((await upstream(sim, hash)).current).toBe(0);
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(200);
  });

  it("keeps the ground truth and the gauge exact when clients abort at random moments", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 20, ...MOCK });
    const random = mulberry32(32441); // seeded: the same abort moments and delays every run
    const outcomes = await Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        const ac = new AbortController();
        // The scenario: each client gives up at its own moment (a timer, not a wait for anything).
        setTimeout(() => ac.abort(), random() * 40);
        return chat(sim, key, { mock_response: "x".repeat(50), mock_delay: random() * 0.04, stream: i % 2 === 0 }, ac.signal).then(
          (r) => r.status,
          () => "aborted",
        );
      }),
    );
    expect(outcomes.filter((o) => o === "aborted").length).toBeGreaterThan(50);
    await waitFor("all ended", async () => ((await upstream(sim, hash)).current === 0 ? true : undefined), 5000);
    await waitFor("all slots released", async () => ((await rc.zcard(`{api_key:${hash}}:max_parallel_requests`)) === 0 ? true : undefined), 5000);
    expect((await upstream(sim, hash)).peak).toBeLessThanOrEqual(20);
  });

  it("ends requests whose client left while they waited for the limiter", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 50, ...MOCK });
    // Block Redis for 600 ms: the acquire scripts queue up behind it while the clients give up.
    const blocked = new Redis(redis.url);
    await blocked.ping(); // connected: the EVAL below is written at once, before the clients' requests exist
    const sleeping = blocked.eval(
      "local t0 = redis.call('TIME') local s = t0[1] * 1000000 + t0[2] " +
        "while true do local t = redis.call('TIME') if t[1] * 1000000 + t[2] - s > 600000 then break end end return 1",
      0,
    );
    const acs = Array.from({ length: 10 }, () => new AbortController());
    const pending = acs.map((ac) => chat(sim, key, { mock_response: "x", mock_delay: 0.2 }, ac.signal).catch(() => "aborted"));
    // The scenario: the clients give up 150 ms in, well within the 600 ms block (whatever they got, they leave).
    await sleep(150);
    acs.forEach((ac) => ac.abort());
    expect(await Promise.all(pending)).toEqual(Array(10).fill("aborted"));
    await sleeping;
    blocked.disconnect();
    await waitFor("admitted then ended", async () => ((await upstream(sim, hash)).peak > 0 ? true : undefined), 3000);
    await waitFor("nothing in flight", async () => ((await upstream(sim, hash)).current === 0 ? true : undefined), 3000);
    await waitFor("slots released", async () => ((await rc.zcard(`{api_key:${hash}}:max_parallel_requests`)) === 0 ? true : undefined), 3000);
  });

  it("answers 429 with the era-C body (throttling_error, param null, code string) and the real headers", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 1, ...MOCK });
    const long = chat(sim, key, { mock_response: "x", mock_delay: 1.5 });
    await waitFor("in flight", async () => ((await upstream(sim, hash)).current === 1 ? true : undefined));
    const r = await chat(sim, key, { mock_response: "x" });
    expect(r.status).toBe(429);
    expect(Object.keys(r.json)).toEqual(["error"]);
    expect(r.json.error.type).toBe("throttling_error");
    expect(r.json.error.param).toBeNull();
    expect(r.json.error.code).toBe("429");
    expect(r.json.error.message).toMatch(
      new RegExp(
        `^Rate limit exceeded for api_key: ${hash}\\. Limit type: max_parallel_requests\\. Current limit: 1, Remaining: 0\\. Limit resets at: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`,
      ),
    );
    expect(r.headers["retry-after"]).toBe("60");
    expect(r.headers["rate_limit_type"]).toBe("max_parallel_requests");
    expect(r.headers["reset_at"]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect(r.headers["x-litellm-call-id"]).toMatch(/^[0-9a-f-]{36}$/);
    // a rejected request adds no slot
    expect(await rc.zcard(`{api_key:${hash}}:max_parallel_requests`)).toBe(1);
    expect((await long).status).toBe(200);
  });

  it("runs the windowed rpm check before the gauge: an rpm 429 holds no slot; :requests/:window are strings with TTL = window", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 5, rpm_limit: 2, ...MOCK });
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(200);
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(200);
    const third = await chat(sim, key, { mock_response: "x" });
    expect(third.status).toBe(429);
    expect(third.headers["rate_limit_type"]).toBe("requests");
    expect(third.json.error.message).toContain("Limit type: requests. Current limit: 2, Remaining: 0.");
    expect(await rc.zcard(`{api_key:${hash}}:max_parallel_requests`)).toBe(0);
    expect(await rc.type(`{api_key:${hash}}:requests`)).toBe("string");
    expect(await rc.get(`{api_key:${hash}}:requests`)).toBe("3");
    const win = await rc.get(`{api_key:${hash}}:window`);
    expect(Math.abs(Number(win) - Date.now() / 1000)).toBeLessThan(5);
    for (const k of ["requests", "window"]) {
      const ttl = await rc.ttl(`{api_key:${hash}}:${k}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);
    }
    // success adds the completion tokens to {api_key:H}:tokens (INCRBYFLOAT, a string)
    expect(await rc.type(`{api_key:${hash}}:tokens`)).toBe("string");
    expect(Number(await rc.get(`{api_key:${hash}}:tokens`))).toBe(40);
  });

  it("applies a /key/update limit change to the next request", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 1, ...MOCK });
    const first = chat(sim, key, { mock_response: "x", mock_delay: 1.5 });
    await waitFor("in flight", async () => ((await upstream(sim, hash)).current === 1 ? true : undefined));
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(429);
    expect((await request(sim, "POST", "/key/update", { body: { key: hash, max_parallel_requests: 2 } })).status).toBe(200);
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(200);
    expect((await request(sim, "POST", "/key/update", { body: { key: hash, max_parallel_requests: null } })).status).toBe(200);
    const many = await Promise.all([1, 2, 3, 4].map(() => chat(sim, key, { mock_response: "x", mock_delay: 0.3 })));
    expect(many.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(many[0].headers["x-ratelimit-api_key-limit-max_parallel_requests"]).toBeUndefined();
    expect((await first).status).toBe(200);
    await waitFor("slots released", async () => ((await rc.zcard(`{api_key:${hash}}:max_parallel_requests`)) === 0 ? true : undefined));
  });
});
