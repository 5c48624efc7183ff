import { describe, expect, it } from "vitest";
import type { BurstRequest } from "../../burst/verdict";
import { latency } from "../../burst/latency";
import { inFlightSteps, plannedTotal, verdictLabel, verdictTone } from "./burst-view";

const T0 = 1_800_000_000_000;
const r = (id: string, status: number, sent: number, end: number): BurstRequest => ({
  id,
  round: 0,
  sentMs: T0 + sent,
  headersMs: T0 + end,
  endMs: T0 + end,
  status,
  retryAfter: null,
  rateLimitType: null,
  rateLimitHeaders: {},
});

describe("burst view", () => {
  it("steps the admitted requests in flight from the first send, ends before starts at one instant, 429s left out", () => {
    const steps = inFlightSteps([r("a", 200, 0, 2000), r("b", 200, 5, 1000), r("c", 429, 1, 8), r("d", 200, 1000, 3000)]);
    expect(steps).toEqual([
      { t: 0, admitted: 1 },
      { t: 0.005, admitted: 2 },
      // b ends and d starts at 1 s: one point, the count after both.
      { t: 1, admitted: 2 },
      { t: 2, admitted: 1 },
      { t: 3, admitted: 0 },
    ]);
    expect(inFlightSteps([])).toEqual([]);
  });

  it("gives latency quantiles per status, none when there are no such requests", () => {
    const rs = Array.from({ length: 100 }, (_, i) => r(`q${i}`, 200, 0, i + 1));
    expect(latency(rs, 200)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(latency(rs, 429)).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null });
  });

  it("reads the planned total from the report, else the plan", () => {
    expect(plannedTotal({ n: 10, rounds: 3 }, null)).toBe(30);
    expect(plannedTotal({ n: null, rounds: 1 }, null)).toBeNull();
    expect(plannedTotal({}, { n: 9, rounds: 2 })).toBe(18);
  });

  it("labels and tones verdicts", () => {
    expect(verdictLabel("FAIL-leaky", "done")).toBe("Fail: leaky limit");
    expect(verdictLabel(null, "interrupted")).toBe("Interrupted");
    expect(verdictTone("FAIL-stuck", "done")).toBe("fail");
    expect(verdictTone("PASS", "done")).toBe("pass");
    expect(verdictTone(null, "running")).toBe("running");
    expect(verdictTone("INCONCLUSIVE", "done")).toBe("unknown");
  });
});
