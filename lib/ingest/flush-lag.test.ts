import { describe, expect, it } from "vitest";
import { FlushLagEstimator } from "./flush-lag";

const opts = { floorMs: 10_000, ceilingMs: 300_000, windowMs: 600_000, quantile: 0.99 };
const T0 = 1_800_000_000_000;

describe("FlushLagEstimator", () => {
  it("stays at the setting until rows are seen to appear later", () => {
    const e = new FlushLagEstimator(opts);
    expect(e.lagMs(T0)).toBe(10_000);
    expect(e.observedMs(T0)).toBeNull();
    e.observe(T0, [1_000, 4_000, 9_500]);
    expect(e.observedMs(T0)).toBe(10_000); // whole seconds, rounded up
    expect(e.lagMs(T0)).toBe(10_000);
  });

  it("follows the 99th percentile of first-seen delays, in whole seconds", () => {
    const e = new FlushLagEstimator(opts);
    // 990 rows seen 61–65 s after their end (60 s batches plus jitter), 10 rows seen 200 s after.
    const delays = [...Array.from({ length: 990 }, (_, i) => 60_001 + (i % 5) * 1000), ...Array(10).fill(200_000)];
    e.observe(T0, delays);
    expect(e.observedMs(T0)).toBe(65_000);
    expect(e.lagMs(T0)).toBe(65_000);
    // One more slow row tips the percentile over.
    e.observe(T0 + 1000, [200_000]);
    expect(e.lagMs(T0 + 1000)).toBe(200_000);
  });

  it("never goes above the ceiling", () => {
    const e = new FlushLagEstimator(opts);
    e.observe(T0, [3_600_000]);
    expect(e.observedMs(T0)).toBe(300_000);
    expect(e.lagMs(T0)).toBe(300_000);
  });

  it("forgets delays older than its window", () => {
    const e = new FlushLagEstimator(opts);
    e.observe(T0, [120_000]);
    expect(e.lagMs(T0 + 500_000)).toBe(120_000);
    expect(e.lagMs(T0 + 700_000)).toBe(10_000);
    expect(e.observedMs(T0 + 700_000)).toBeNull();
  });
});
