import Redis from "ioredis";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startRedis, type TestRedis } from "../../tests/support/redis";
import { counterKey, legacyMinuteKey, windowKey } from "./keys";
import { LimiterReadError, readLimiterState, type LimiterSample } from "./reader";

// ---- LiteLLM's writes, as its Lua and cache calls do them (docs/litellm-reference.md §2.3, §2.4, §2.5) ----------------

/** BATCH_RATE_LIMITER_SCRIPT (v3, with the later "EXPIRE the counter if it has no TTL" line). */
const BATCH_RATE_LIMITER_SCRIPT = `
local results = {}
local now = tonumber(ARGV[1])
local window_size = tonumber(ARGV[2])
for i = 1, #KEYS, 2 do
    local window_key = KEYS[i]
    local counter_key = KEYS[i + 1]
    local window_start = redis.call('GET', window_key)
    if not window_start or (now - tonumber(window_start)) >= window_size then
        redis.call('SET', window_key, tostring(now))
        redis.call('SET', counter_key, 1)
        redis.call('EXPIRE', window_key, window_size)
        redis.call('EXPIRE', counter_key, window_size)
        table.insert(results, tostring(now))
        table.insert(results, 1)
    else
        local counter = redis.call('INCR', counter_key)
        if redis.call('TTL', counter_key) == -1 then
            redis.call('EXPIRE', counter_key, window_size)
        end
        table.insert(results, window_start)
        table.insert(results, counter)
    end
end
return results`;

/** TOKEN_INCREMENT_SCRIPT: era B's -1 release and the tokens increment; creates a missing key at the increment. */
const TOKEN_INCREMENT_SCRIPT = `
local results = {}
for i = 1, #KEYS do
    local new_value = redis.call('INCRBYFLOAT', KEYS[i], tonumber(ARGV[i * 2 - 1]))
    local ttl_seconds = tonumber(ARGV[i * 2])
    if ttl_seconds and ttl_seconds > 0 and redis.call('TTL', KEYS[i]) == -1 then
        redis.call('EXPIRE', KEYS[i], ttl_seconds)
    end
    table.insert(results, new_value)
end
return results`;

/** PARALLEL_ACQUIRE_SCRIPT (era C): prune, check, ZADD slot with Redis TIME, EXPIRE 3600. */
const PARALLEL_ACQUIRE_SCRIPT = `
local now = tonumber(redis.call('TIME')[1])
local limit = tonumber(ARGV[1])
local slot_ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - slot_ttl)
local in_flight = redis.call('ZCARD', KEYS[1])
if in_flight + 1 > limit then return { 1, 1, in_flight, limit } end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('EXPIRE', KEYS[1], slot_ttl)
return { 0, redis.call('ZCARD', KEYS[1]) }`;

const PARALLEL_RELEASE_SCRIPT = `
redis.call('ZREM', KEYS[1], ARGV[1])
return { redis.call('ZCARD', KEYS[1]) }`;

const WINDOW = 60;

/**
 * Era B pre-call for an api_key descriptor: one (window, counter) pair per limit the key has, rpm and tpm
 * before max_parallel_requests, all sharing the window key. Returns the parallel counter after the call.
 */
async function eraBPreCall(
  r: Redis,
  hash: string,
  proxyNowS: number,
  opts: { rpmAndTpm?: boolean; windowSizeS?: number } = {},
): Promise<number> {
  const keys = opts.rpmAndTpm ? [windowKey(hash), counterKey(hash, "requests"), windowKey(hash), counterKey(hash, "tokens")] : [];
  keys.push(windowKey(hash), counterKey(hash, "max_parallel_requests"));
  const out = (await r.eval(BATCH_RATE_LIMITER_SCRIPT, keys.length, ...keys, proxyNowS, opts.windowSizeS ?? WINDOW)) as unknown[];
  return Number(out[out.length - 1]);
}

/** Era B success/failure release: INCRBYFLOAT -1, no floor. */
async function eraBRelease(r: Redis, hash: string): Promise<void> {
  await r.eval(TOKEN_INCREMENT_SCRIPT, 1, counterKey(hash, "max_parallel_requests"), -1, WINDOW);
}

async function addTokens(r: Redis, hash: string, n: number): Promise<void> {
  await r.eval(TOKEN_INCREMENT_SCRIPT, 1, counterKey(hash, "tokens"), n, WINDOW);
}

/** Era C acquire: the new slot id, or null when LiteLLM would answer 429 (then `inFlight` is its count). */
async function eraCAcquire(r: Redis, hash: string, limit: number): Promise<{ slot: string | null; inFlight: number }> {
  const slot = randomUUID().replaceAll("-", ""); // uuid.uuid4().hex
  const out = (await r.eval(PARALLEL_ACQUIRE_SCRIPT, 1, counterKey(hash, "max_parallel_requests"), limit, 3600, slot)) as number[];
  return out[0] === 1 ? { slot: null, inFlight: out[2] } : { slot, inFlight: out[1] };
}

async function eraCRelease(r: Redis, hash: string, slot: string): Promise<void> {
  await r.eval(PARALLEL_RELEASE_SCRIPT, 1, counterKey(hash, "max_parallel_requests"), slot);
}

/** A slot acquired `ageS` ago and never released (what an acquire at that time wrote). */
async function plantSlot(r: Redis, hash: string, scoreS: number): Promise<void> {
  const key = counterKey(hash, "max_parallel_requests");
  await r.zadd(key, scoreS, randomBytes(16).toString("hex"));
  await r.expire(key, 3600);
}

/** v1's per-minute dict as RedisCache stores it: json.dumps (", " and ": " separators), ttl 60. */
async function setLegacyMinute(r: Redis, hash: string, atMs: number, requests: number, tpm: number, rpm: number): Promise<void> {
  const value = `{"current_requests": ${requests}, "current_tpm": ${tpm}, "current_rpm": ${rpm}}`;
  await r.set(legacyMinuteKey(hash, atMs), value, "EX", 60);
}

const newHash = () => randomBytes(32).toString("hex");

async function redisNowS(r: Redis): Promise<number> {
  return Number((await r.time())[0]);
}

/** Waits past a minute boundary when one is close, so "the current minute" is the same for writer and reader. */
async function awayFromMinuteEdge(r: Redis): Promise<number> {
  let now = await redisNowS(r);
  while (now % 60 >= 55) {
    await new Promise((res) => setTimeout(res, 500));
    now = await redisNowS(r);
  }
  return now;
}

async function readOne(r: Redis, hash: string, opts?: { windowSizeS?: number }): Promise<LimiterSample> {
  const { samples } = await readLimiterState(r, [hash], opts);
  expect(samples).toHaveLength(1);
  return samples[0];
}

// -------------------------------------------------------------------------------------------------------

/** The reader's connection as the runner makes it: fail fast rather than queue while Redis is down. */
async function failFastClient(url: string): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  return redis;
}

describe("readLimiterState", () => {
  let server: TestRedis;
  let writer: Redis;
  let reader: Redis;

  beforeAll(async () => {
    server = await startRedis();
    writer = new Redis(server.url);
    reader = await failFastClient(server.url);
  });
  afterAll(async () => {
    writer.disconnect();
    reader.disconnect();
    await server.stop();
  });
  beforeEach(async () => {
    await writer.flushall();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("era B: reads the windowed counter, its window, and this window's requests and float tokens; a 429's +1 stays", async () => {
    const h = newHash();
    const now = await redisNowS(writer);
    const limit = 2;
    const counters = [];
    for (let i = 0; i < 3; i++) counters.push(await eraBPreCall(writer, h, now, { rpmAndTpm: true }));
    expect(counters).toEqual([1, 2, 3]); // the third is over the limit: a 429, and nothing releases it
    expect(counters[2]).toBeGreaterThan(limit);
    await eraBRelease(writer, h); // the first request succeeds
    await addTokens(writer, h, 40.25);

    const s = await readOne(reader, h);
    expect(s).toMatchObject({
      keyHash: h,
      era: "windowed",
      rawCounter: 2,
      believedInFlight: 2, // one truly in flight; the stranded +1 makes LiteLLM believe two
      windowStartS: now,
      windowExpired: false,
      oldestSlotAgeS: null,
      requests: 3,
      tokens: 43.25, // 3 pre-call increments + 40.25, stored by INCRBYFLOAT as "43.25"
    });
    expect(await writer.get(counterKey(h, "tokens"))).toBe("43.25");
    expect(s.windowTtlS).toBeGreaterThan(0);
    expect(s.windowTtlS).toBeLessThanOrEqual(WINDOW);
  });

  it("era B: a window roll with requests in flight drives the counter negative; belief is clamped at 0", async () => {
    const h = newHash();
    const redisNow = await redisNowS(writer);
    const t0 = redisNow - 91; // proxy clock: three requests admitted 91 s ago, still running
    for (let i = 0; i < 3; i++) await eraBPreCall(writer, h, t0);
    expect(await eraBPreCall(writer, h, t0 + 61)).toBe(1); // next request after the roll: reset to 1
    for (let i = 0; i < 3; i++) await eraBRelease(writer, h); // the three old ones finish
    expect(await writer.get(counterKey(h, "max_parallel_requests"))).toBe("-2");

    const s = await readOne(reader, h);
    expect(s).toMatchObject({ era: "windowed", rawCounter: -2, believedInFlight: 0, windowStartS: t0 + 61, windowExpired: false });

    // Each unit below zero is an extra admission: with a limit of 3, five more get in (six truly in flight).
    const after = [];
    for (let i = 0; i < 5; i++) after.push(await eraBPreCall(writer, h, t0 + 62));
    expect(after.every((c) => c <= 3)).toBe(true);
    const s2 = await readOne(reader, h);
    expect(s2).toMatchObject({ rawCounter: 3, believedInFlight: 3 });
  });

  it("era B: a rolled window is flagged against the configured window size", async () => {
    const h = newHash();
    const redisNow = await redisNowS(writer);
    // A proxy running with LITELLM_RATE_LIMIT_WINDOW_SIZE=120 opened this window 90 s ago.
    await eraBPreCall(writer, h, redisNow - 90, { windowSizeS: 120 });

    const at60 = await readOne(reader, h); // default 60 s: already rolled
    expect(at60).toMatchObject({ era: "windowed", windowStartS: redisNow - 90, windowExpired: true, believedInFlight: 1 });
    const at120 = await readOne(reader, h, { windowSizeS: 120 });
    expect(at120.windowExpired).toBe(false);
  });

  it("era B: a late release after the window expired leaves a negative counter with no window", async () => {
    const h = newHash();
    await eraBRelease(writer, h); // completion of a request whose window (and counter) already expired

    const s = await readOne(reader, h);
    expect(s).toMatchObject({
      era: "windowed",
      rawCounter: -1,
      believedInFlight: 0,
      windowStartS: null,
      windowTtlS: null,
      windowExpired: true, // no window: LiteLLM resets at the next request
      requests: null,
      tokens: null,
    });
  });

  it("era C: counts live slots (ZCOUNT, Redis TIME), keeps stale ones in the raw count, and ages the oldest", async () => {
    const h = newHash();
    const limit = 5;
    const slots: string[] = [];
    for (let i = 0; i < 3; i++) slots.push((await eraCAcquire(writer, h, limit)).slot!);
    await eraCRelease(writer, h, slots[0]);
    const now = await redisNowS(writer);
    await plantSlot(writer, h, now - 1800); // leaked 30 min ago: still counted
    const staleScore = now - 4000; // older than the 3600 s slot TTL: LiteLLM no longer counts it
    await plantSlot(writer, h, staleScore);
    await eraBPreCall(writer, newHash(), now); // unrelated traffic on another key

    const { samples, redisTimeMs } = await readLimiterState(reader, [h]);
    const s = samples[0];
    expect(s).toMatchObject({ era: "gauge", believedInFlight: 3, rawCounter: 4, windowStartS: null, windowExpired: null });
    expect(s.atMs).toBe(redisTimeMs);
    expect(s.oldestSlotAgeS).toBe(Math.floor(redisTimeMs / 1000) - staleScore);

    // LiteLLM's own acquire agrees with the belief: at a limit of 3 it is full with 3 in flight.
    expect(await eraCAcquire(writer, h, 3)).toEqual({ slot: null, inFlight: 3 });
  });

  it("era C: a gauge whose last slot is released disappears, leaving only the rpm window's requests", async () => {
    const h = newHash();
    const now = await redisNowS(writer);
    const { slot } = await eraCAcquire(writer, h, 2);
    await writer.eval(BATCH_RATE_LIMITER_SCRIPT, 2, windowKey(h), counterKey(h, "requests"), now, WINDOW);
    expect((await readOne(reader, h)).believedInFlight).toBe(1);

    await eraCRelease(writer, h, slot!);
    expect(await readOne(reader, h)).toMatchObject({ era: "none", believedInFlight: null, rawCounter: null, requests: 1, tokens: null });
  });

  it("legacy v1: current_requests of the current UTC minute; only the previous minute's key means 0", async () => {
    const nowS = await awayFromMinuteEdge(writer);
    const current = newHash();
    const previousOnly = newHash();
    await setLegacyMinute(writer, current, nowS * 1000, 2, 350, 7);
    await setLegacyMinute(writer, previousOnly, (nowS - 60) * 1000, 4, 10, 9);

    const { samples } = await readLimiterState(reader, [current, previousOnly]);
    expect(samples[0]).toMatchObject({ era: "legacy", believedInFlight: 2, rawCounter: 2, requests: 7, tokens: 350 });
    expect(samples[1]).toMatchObject({ era: "legacy", believedInFlight: 0, rawCounter: null, requests: null, tokens: null });
  });

  it("keys with nothing (or a key of a type LiteLLM never writes) give era none and nulls", async () => {
    const nothing = newHash();
    const foreign = newHash();
    await writer.hset(counterKey(foreign, "max_parallel_requests"), "x", "1");
    const { samples } = await readLimiterState(reader, [nothing, foreign]);
    for (const [i, h] of [nothing, foreign].entries()) {
      expect(samples[i]).toEqual({
        keyHash: h,
        atMs: samples[i].atMs,
        era: "none",
        believedInFlight: null,
        rawCounter: null,
        windowStartS: null,
        windowTtlS: null,
        windowExpired: null,
        oldestSlotAgeS: null,
        requests: null,
        tokens: null,
      });
    }
  });

  it("reads hundreds of keys of mixed eras in two round trips, with read commands only", async () => {
    const now = await redisNowS(writer);
    const hashes = Array.from({ length: 300 }, newHash);
    for (const [i, h] of hashes.entries()) {
      if (i % 3 === 0) for (let n = 0; n < i % 7; n++) await eraCAcquire(writer, h, 10);
      if (i % 3 === 1) {
        for (let n = 0; n < 2; n++) await eraBPreCall(writer, h, now, { rpmAndTpm: true });
        for (let n = 0; n < i % 5; n++) await eraBRelease(writer, h);
      }
    }
    await writer.config("RESETSTAT");
    const pipelines = vi.spyOn(reader, "pipeline");

    const { samples } = await readLimiterState(reader, hashes);

    expect(pipelines).toHaveBeenCalledTimes(2);
    expect(samples.map((s) => s.keyHash)).toEqual(hashes);
    for (const [i, s] of samples.entries()) {
      if (i % 3 === 0 && i % 7 > 0) expect(s).toMatchObject({ era: "gauge", believedInFlight: i % 7, rawCounter: i % 7 });
      else if (i % 3 === 1) expect(s).toMatchObject({ era: "windowed", rawCounter: 2 - (i % 5), believedInFlight: Math.max(0, 2 - (i % 5)), requests: 2 });
      else expect(s.era).toBe("none");
    }

    const stats = await writer.info("commandstats");
    const used = [...stats.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)].map((m) => m[1]);
    const reads = new Set(["time", "type", "get", "ttl", "zcount", "zcard", "zrange", "config|resetstat", "info"]);
    expect(used.filter((c) => !reads.has(c))).toEqual([]);
    expect(stats).toMatch(/^cmdstat_type:calls=300,/m);
  });

  it("an empty key list costs one round trip and still reports Redis time", async () => {
    const pipelines = vi.spyOn(reader, "pipeline");
    const before = (await redisNowS(writer)) * 1000;
    const { samples, redisTimeMs } = await readLimiterState(reader, []);
    expect(samples).toEqual([]);
    expect(redisTimeMs).toBeGreaterThanOrEqual(before);
    expect(pipelines).toHaveBeenCalledTimes(1);
  });
});

describe("readLimiterState when Redis goes away", () => {
  it("rejects with a LimiterReadError instead of hanging", { timeout: 15_000 }, async () => {
    const server = await startRedis();
    const redis = await failFastClient(server.url);
    redis.on("error", () => {}); // reconnect noise; the failure must surface through the read itself
    try {
      const h = newHash();
      await eraCAcquire(redis, h, 3);
      expect((await readLimiterState(redis, [h])).samples[0].believedInFlight).toBe(1);

      await server.stop();
      const read = readLimiterState(redis, [h]);
      await expect(read).rejects.toBeInstanceOf(LimiterReadError);
      await expect(read).rejects.toThrow(/^reading LiteLLM's limiter state from Redis failed: /);
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });
});
