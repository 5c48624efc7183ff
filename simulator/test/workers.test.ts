import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { load, newKey, request, upstream } from "./helpers";

const MOCK = { metadata: { allow_client_mock_response: true } };

describe("--workers 4 without Redis: each worker counts alone", () => {
  let gauge: TestSimulator;
  let windowed: TestSimulator;
  let single: TestSimulator;

  beforeAll(async () => {
    [gauge, windowed, single] = await Promise.all([
      startSimulator(["--limiter", "gauge", "--workers", "4"]),
      startSimulator(["--limiter", "windowed", "--workers", "4"]),
      startSimulator(["--limiter", "gauge", "--workers", "1"]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([gauge?.stop(), windowed?.stop(), single?.stop()]);
  });

  it("gauge mode admits about 4x the limit (never more), one worker admits the limit", async () => {
    for (const [sim, bound] of [
      [gauge, 20],
      [single, 5],
    ] as const) {
      const { key, hash } = await newKey(sim, { max_parallel_requests: 5, ...MOCK });
      const counts = await load(sim, key, 200, 2500, { mock_response: "ok", mock_delay: 0.5 });
      const u = await upstream(sim, hash);
      expect(u.peak, sim.output()).toBeLessThanOrEqual(bound);
      expect(u.peak).toBeGreaterThanOrEqual(bound - 2);
      expect(counts[429]).toBeGreaterThan(0);
    }
    // Nothing reaches Redis: the per-worker in-memory registries hold the slots.
    const state = await request(gauge, "GET", "/sim/state", { key: null });
    expect(state.json.workers).toBe(4);
    expect(state.json.redis).toBe(false);
    expect(state.json.memory_gauges).toHaveLength(4);
  });

  it("windowed mode (the default limiter) admits about 4x the limit too", async () => {
    const { key, hash } = await newKey(windowed, { max_parallel_requests: 5, ...MOCK });
    const counts = await load(windowed, key, 200, 2500, { mock_response: "ok", mock_delay: 0.5 });
    const u = await upstream(windowed, hash);
    expect(u.peak, windowed.output()).toBeGreaterThanOrEqual(16);
    expect(u.peak).toBeLessThanOrEqual(20);
    expect(counts[429]).toBeGreaterThan(0);
    // Each worker holds its own counter and window in its local cache.
    const state = await request(windowed, "GET", "/sim/state", { key: null });
    const withCounter = (state.json.worker_local_caches as Record<string, unknown>[]).filter(
      (c) => c[`{api_key:${hash}}:window`] !== undefined,
    );
    expect(withCounter).toHaveLength(4);
  });
});
