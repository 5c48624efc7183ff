import { describe, expect, it } from "vitest";
import type { LimitStep } from "../catalog/limit-steps";
import { detectDrift, detectExceeded, detectMultiplied, detectStuck, type KeyWindow, type TruthSecond } from "./detect";
import { parseParams } from "./rules";

const step = (fromSec: number, mpr: number | null): LimitStep => ({ fromMs: fromSec * 1000, maxParallelRequests: mpr, rpmLimit: null, tpmLimit: null, source: "proxy" });
const t = (sec: number, maxInFlight: number, rejected = 0): TruthSecond => ({ sec, maxInFlight, rejected });

function win(over: Partial<KeyWindow>): KeyWindow {
  return { fromSec: 0, toSec: 1000, settledToSec: 1000, steps: [step(0, 5)], truth: [], belief: [], sharedLimiter: true, ...over };
}

describe("detectExceeded", () => {
  const p = parseParams("exceeded", {});

  it("finds contiguous seconds above the limit in force, with peak, limit and the peak second", () => {
    const f = detectExceeded(win({ truth: [t(10, 5), t(11, 7), t(12, 9), t(13, 6), t(14, 5), t(20, 4)] }), p);
    expect(f).toEqual([{ fromSec: 11, toSec: 14, open: false, peak: 9, limit: 5, evidence: { peakSec: 12, limitAtPeak: 5, secondsOver: 3 } }]);
  });

  it("judges each second by the limit in force then: a later raise does not hide it, a later cut does not invent one", () => {
    const steps = [step(0, 5), step(100, 10), step(200, 3)];
    const f = detectExceeded(win({ steps, truth: [t(50, 7), t(150, 7), t(250, 4)] }), p);
    expect(f.map((x) => [x.fromSec, x.limit])).toEqual([
      [50, 5],
      [250, 3],
    ]);
  });

  it("is open while it reaches settled truth (later seconds that look within the limit prove nothing yet); over once it ended before it", () => {
    expect(detectExceeded(win({ settledToSec: 11, truth: [t(10, 8), t(11, 8), t(12, 2)] }), p)[0].open).toBe(true);
    expect(detectExceeded(win({ settledToSec: 12, truth: [t(10, 8), t(11, 8), t(12, 2)] }), p)[0].open).toBe(true);
    expect(detectExceeded(win({ settledToSec: 13, truth: [t(10, 8), t(11, 8), t(12, 2)] }), p)[0].open).toBe(false);
  });

  it("respects the margin, keys without a limit, and the window", () => {
    expect(detectExceeded(win({ truth: [t(10, 6)] }), { ...p, margin: 1 })).toEqual([]);
    expect(detectExceeded(win({ truth: [t(10, 7)] }), { ...p, margin: 1 })).toHaveLength(1);
    expect(detectExceeded(win({ steps: [step(0, null)], truth: [t(10, 70)] }), p)).toEqual([]);
    expect(detectExceeded(win({ fromSec: 20, truth: [t(10, 70)] }), p)).toEqual([]);
  });
});

describe("detectMultiplied", () => {
  const p = parseParams("multiplied", {});

  it("flags a peak near a whole multiple of the limit when LiteLLM keeps no shared limiter state", () => {
    const f = detectMultiplied(win({ sharedLimiter: false, truth: [t(10, 10), t(11, 9)] }), p);
    expect(f).toHaveLength(1);
    expect(f[0].evidence).toMatchObject({ multiple: 2, ratio: 2, sharedLimiter: false });
  });

  it("says nothing with shared state, when it is unknown, or for a peak between multiples or under 2×", () => {
    expect(detectMultiplied(win({ sharedLimiter: true, truth: [t(10, 10)] }), p)).toEqual([]);
    expect(detectMultiplied(win({ sharedLimiter: null, truth: [t(10, 10)] }), p)).toEqual([]);
    expect(detectMultiplied(win({ sharedLimiter: false, truth: [t(10, 12)] }), p)).toEqual([]); // 2.4×
    expect(detectMultiplied(win({ sharedLimiter: false, truth: [t(10, 7)] }), p)).toEqual([]); // 1.4×
    expect(detectMultiplied(win({ sharedLimiter: false, truth: [t(10, 15)] }), p)[0].evidence.multiple).toBe(3);
  });
});

describe("detectStuck", () => {
  const p = parseParams("stuck", { gapS: 20 });

  it("finds max_parallel_requests 429s while little is really in flight, bridging quiet seconds", () => {
    const truth = [t(100, 0, 2), t(110, 1, 1), t(125, 0, 3), t(200, 0, 1)];
    const f = detectStuck(win({ truth, belief: [{ sec: 110, believed: 5, rawMin: 5 }] }), p);
    expect(f.map((x) => [x.fromSec, x.toSec])).toEqual([
      [100, 126],
      [200, 201],
    ]);
    expect(f[0]).toMatchObject({ peak: 5, limit: 5, evidence: { rejected: 6, maxTrueInFlight: 1, believedMax: 5 } });
  });

  it("is broken by a second with enough in flight (the limiter admitted then), and ignores 429s at the limit", () => {
    const f = detectStuck(win({ truth: [t(100, 0, 1), t(105, 5, 0), t(110, 0, 1)] }), p);
    expect(f.map((x) => [x.fromSec, x.toSec])).toEqual([
      [100, 101],
      [110, 111],
    ]);
    expect(detectStuck(win({ truth: [t(100, 5, 3), t(101, 4, 3)] }), p)).toEqual([]);
  });

  it("reads only settled truth and is open near its end", () => {
    const w = win({ settledToSec: 150, truth: [t(100, 0, 1), t(115, 0, 1), t(130, 0, 1), t(160, 0, 1)] });
    const f = detectStuck(w, p);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ fromSec: 100, toSec: 131, open: true });
  });
});

describe("detectDrift", () => {
  const p = parseParams("drift", { gapS: 2 });

  it("finds LiteLLM counting more than was in flight, or a negative counter", () => {
    const belief = [10, 11, 12, 13].map((sec) => ({ sec, believed: 4, rawMin: 4 }));
    const f = detectDrift(win({ belief, truth: [t(10, 1), t(11, 3)] }), p);
    expect(f.map((x) => [x.fromSec, x.toSec])).toEqual([
      [10, 11],
      [12, 14],
    ]);
    expect(f[1].evidence).toMatchObject({ believedMax: 4, trueInFlightMax: 0 });
    const neg = detectDrift(win({ belief: [{ sec: 30, believed: 0, rawMin: -3 }] }), p);
    expect(neg[0].evidence.rawMin).toBe(-3);
  });

  it("ignores a count within the threshold and unsettled seconds", () => {
    expect(detectDrift(win({ belief: [{ sec: 10, believed: 2, rawMin: 2 }], truth: [t(10, 1)] }), p)).toEqual([]);
    expect(detectDrift(win({ settledToSec: 10, belief: [{ sec: 10, believed: 9, rawMin: 9 }] }), p)).toEqual([]);
  });
});
