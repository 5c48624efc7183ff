import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../../tests/support/redis";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { chat, messages, request, responses, upstream, waitFor, newKey } from "./helpers";

const MOCK = { metadata: { allow_client_mock_response: true } };
/** Short enough for a test to watch a leaked slot expire, long enough for the checks made while it lives. */
const SLOT_TTL_S = 5;

const gaugeKey = (hash: string) => `{api_key:${hash}}:max_parallel_requests`;

describe("--leak-metadata-routes (#27955): a request completing on /v1/messages or /responses keeps its gauge slot", () => {
  let redis: TestRedis;
  let leaky: TestSimulator;
  let fixed: TestSimulator;
  let rc: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    [leaky, fixed] = await Promise.all([
      startSimulator(["--limiter", "gauge", "--redis-url", redis.url, "--leak-metadata-routes", "--slot-ttl", String(SLOT_TTL_S)]),
      startSimulator(["--limiter", "gauge", "--redis-url", redis.url]),
    ]);
    rc = new Redis(redis.url);
  });
  afterAll(async () => {
    rc?.disconnect();
    await Promise.all([leaky?.stop(), fixed?.stop()]);
    await redis?.stop();
  });

  it("leaves the slots in the ZSET and the key answering 429 with nothing in flight, until --slot-ttl expires them", async () => {
    const { key, hash } = await newKey(leaky, { max_parallel_requests: 3, ...MOCK });
    const done = [await messages(leaky, key, { mock_response: "a" }), await responses(leaky, key, { mock_response: "b" }), await responses(leaky, key, { mock_response: "c" }, "/responses")];
    const lastAcquireMs = Date.now();
    expect(done.map((r) => r.status)).toEqual([200, 200, 200]);
    // Each completed normally and kept its slot: three uuid4-hex members, the key's TTL the flag's.
    const members = (await rc.zrange(gaugeKey(hash), 0, "-1")) as string[];
    expect(members).toHaveLength(3);
    for (const m of members) expect(m).toMatch(/^[0-9a-f]{32}$/);
    const ttl = await rc.ttl(gaugeKey(hash));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(SLOT_TTL_S);
    expect((await upstream(leaky, hash)).current).toBe(0);

    // Nothing in flight, and every route refused for max_parallel_requests.
    for (const r of [await chat(leaky, key, { mock_response: "x" }), await messages(leaky, key, { mock_response: "x" })]) {
      expect(r.status).toBe(429);
      expect(r.json.error.message).toMatch(new RegExp(`^Rate limit exceeded for api_key: ${hash}\\. Limit type: max_parallel_requests\\. Current limit: 3, Remaining: 0\\.`));
      expect(r.headers["rate_limit_type"]).toBe("max_parallel_requests");
    }
    expect((await upstream(leaky, hash)).current).toBe(0);
    expect(await rc.zcard(gaugeKey(hash))).toBe(3);

    // The key recovers by itself once the slots are older than the TTL (whole seconds of Redis TIME), not before.
    await waitFor("a request admitted again", async () => ((await chat(leaky, key, { mock_response: "x" })).status === 200 ? true : undefined), 15_000);
    expect(Date.now() - lastAcquireMs).toBeGreaterThanOrEqual((SLOT_TTL_S - 1) * 1000);
    // The expired slots are gone and chat's own slot was released as usual.
    expect(await rc.zcard(gaugeKey(hash))).toBe(0);
  });

  it("leaks the slot of a failed request on those routes too, while a client disconnect still releases it (PR #30020)", async () => {
    const { key, hash } = await newKey(leaky, { max_parallel_requests: 3, ...MOCK });
    const timedOut = await messages(leaky, key, { mock_timeout: true, timeout: 0.3 });
    expect(timedOut.status).toBe(408);
    expect(await rc.zcard(gaugeKey(hash))).toBe(1);

    const ac = new AbortController();
    const pending = messages(leaky, key, { mock_response: "x", mock_delay: 30 }, ac.signal).catch((e) => e);
    await waitFor("acquired", async () => ((await rc.zcard(gaugeKey(hash))) === 2 ? true : undefined));
    ac.abort();
    await pending;
    await waitFor("the disconnected request's slot released", async () => ((await rc.zcard(gaugeKey(hash))) === 1 ? true : undefined));
    expect((await upstream(leaky, hash)).current).toBe(0);
  });

  it("keeps releasing /chat/completions slots: only the metadata routes leak", async () => {
    const { key, hash } = await newKey(leaky, { max_parallel_requests: 1, ...MOCK });
    for (let i = 0; i < 3; i++) expect((await chat(leaky, key, { mock_response: "x" })).status).toBe(200);
    expect(await rc.zcard(gaugeKey(hash))).toBe(0);
  });

  it("releases every slot without the flag, as after the upstream fix, with LiteLLM's 3600 s slot TTL", async () => {
    const { key, hash } = await newKey(fixed, { max_parallel_requests: 1, ...MOCK });
    const holding = messages(fixed, key, { mock_response: "x", mock_delay: 1 });
    await waitFor("acquired", async () => ((await rc.zcard(gaugeKey(hash))) === 1 ? true : undefined));
    expect(await rc.ttl(gaugeKey(hash))).toBeGreaterThan(3590);
    expect((await holding).status).toBe(200);
    for (const r of [await messages(fixed, key, { mock_response: "x" }), await responses(fixed, key, { mock_response: "x" }), await responses(fixed, key, { mock_response: "x" }, "/responses")]) {
      expect(r.status).toBe(200);
    }
    expect(await rc.zcard(gaugeKey(hash))).toBe(0);
    expect((await chat(fixed, key, { mock_response: "x" })).status).toBe(200);
  });
});

describe("--leak-metadata-routes without Redis: the same leak in each worker's in-memory slot registry", () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startSimulator(["--limiter", "gauge", "--workers", "2", "--leak-metadata-routes", "--slot-ttl", String(SLOT_TTL_S)]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const state = async () => (await request(sim, "GET", "/sim/state", { key: null })).json;

  it("sticks the worker that served the request, not the other one, until the slot expires", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 1, ...MOCK });
    const gk = gaugeKey(hash);
    // Requests go to the two workers in turn (round robin), so each line below alternates between them.
    expect((await messages(sim, key, { mock_response: "x" })).status).toBe(200); // worker A keeps the slot
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(200); // worker B: its own registry is empty
    const stuckOnA = await chat(sim, key, { mock_response: "x" }); // worker A
    expect(stuckOnA.status).toBe(429);
    expect(stuckOnA.json.error.message).toContain("Limit type: max_parallel_requests");
    expect((await responses(sim, key, { mock_response: "x" })).status).toBe(200); // worker B keeps this one
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(429);
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(429);
    expect((await state()).memory_gauges).toEqual([{ [gk]: 1 }, { [gk]: 1 }]);
    expect((await upstream(sim, hash)).current).toBe(0);

    // Both slots expire: two requests in a row (one per worker) are admitted again.
    await waitFor(
      "both workers admitting again",
      async () => {
        const a = await chat(sim, key, { mock_response: "x" });
        const b = await chat(sim, key, { mock_response: "x" });
        return a.status === 200 && b.status === 200;
      },
      15_000,
    );
    expect((await state()).memory_gauges).toEqual([{ [gk]: 0 }, { [gk]: 0 }]);
  });
});
