import Redis from "ioredis";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../../tests/support/redis";
import { findLimiterKeys } from "./discovery";
import { counterKey, legacyMinuteKey, windowKey } from "./keys";

describe("findLimiterKeys", () => {
  let server: TestRedis;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });
  beforeEach(async () => {
    await redis.flushall();
  });

  /** 3,000 keys of other programs plus LiteLLM keys of every era; returns the gauge keys (the ones that should be found). */
  async function populate(): Promise<string[]> {
    const p = redis.pipeline();
    for (let i = 0; i < 3000; i++) p.set(`app:session:${i}`, "x");
    const gaugeKeys: string[] = [];
    for (let i = 0; i < 12; i++) {
      const h = randomBytes(32).toString("hex");
      const key = counterKey(h, "max_parallel_requests");
      gaugeKeys.push(key);
      if (i % 2 === 0) p.set(key, String(i - 4), "EX", 60).set(windowKey(h), "1700000000", "EX", 60); // era B
      else p.zadd(key, 1700000000, randomBytes(16).toString("hex")).expire(key, 3600); // era C
      p.set(counterKey(h, "requests"), "3", "EX", 60);
    }
    p.set(legacyMinuteKey(randomBytes(32).toString("hex"), Date.now()), '{"current_requests": 1, "current_tpm": 0, "current_rpm": 1}');
    await p.exec();
    return gaugeKeys;
  }

  it("finds every max_parallel_requests key and nothing else, using SCAN only", async () => {
    const gaugeKeys = await populate();
    await redis.config("RESETSTAT");

    const d = await findLimiterKeys(redis);

    expect(d.complete).toBe(true);
    expect(d.found).toBe(12);
    expect(d.sampleKeys).toHaveLength(10);
    for (const k of d.sampleKeys) expect(gaugeKeys).toContain(k);
    expect(d.scanned).toBeGreaterThanOrEqual(3000);
    const used = [...(await redis.info("commandstats")).matchAll(/^cmdstat_([a-z|]+):/gm)].map((m) => m[1]);
    expect(used.filter((c) => !["scan", "config|resetstat", "info"].includes(c))).toEqual([]);
  });

  it("stops at its cap and says the answer is incomplete", async () => {
    await populate();
    const d = await findLimiterKeys(redis, { maxScanned: 1000 });
    expect(d.complete).toBe(false);
    expect(d.scanned).toBe(1000);
    expect(d.found).toBeLessThan(12);
  });

  it("an empty Redis: nothing found, and the scan is complete", async () => {
    expect(await findLimiterKeys(redis)).toEqual({ found: 0, sampleKeys: [], scanned: 1000, complete: true });
  });
});
