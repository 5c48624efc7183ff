import { describe, expect, it } from "vitest";
import { IN_MEMORY_MESSAGE, limiterStatus } from "./status";

const d = (found: number, complete: boolean, scanned = 5000) => ({ found, complete, scanned, sampleKeys: [] });

describe("limiterStatus", () => {
  it("keys present: LiteLLM's view is visible", () => {
    expect(limiterStatus(d(1, true))).toEqual({ state: "ok", message: "Redis holds 1 limiter key: LiteLLM's own view of concurrency is sampled live" });
    expect(limiterStatus(d(7, false)).message).toBe("Redis holds at least 7 limiter keys: LiteLLM's own view of concurrency is sampled live");
  });

  it("no keys after a full scan while limited keys had traffic: the plain in-memory sentence", () => {
    expect(limiterStatus(d(0, true), true)).toEqual({ state: "invisible", message: IN_MEMORY_MESSAGE });
    expect(IN_MEMORY_MESSAGE).toBe(
      "Redis holds no limiter keys: the proxy runs its limiter in process memory, per worker, invisible from outside",
    );
  });

  it("no keys but no known recent traffic: the same sentence, with the idle-expiry caveat", () => {
    for (const traffic of [false, undefined]) {
      const s = limiterStatus(d(0, true), traffic);
      expect(s.state).toBe("invisible");
      expect(s.message.startsWith(IN_MEMORY_MESSAGE)).toBe(true);
      expect(s.message).toMatch(/expire when idle/);
    }
  });

  it("no keys in a capped scan: not conclusive, whatever the traffic", () => {
    const s = limiterStatus(d(0, false, 100_000), true);
    expect(s).toEqual({
      state: "unknown",
      message: "No limiter keys among the first ~100,000 Redis keys; the scan stops there, so this is not conclusive",
    });
  });
});
