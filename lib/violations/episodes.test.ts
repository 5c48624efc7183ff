import { describe, expect, it } from "vitest";
import { episodesAbove, limitAt } from "./episodes";

const step = (fromMs: number, mpr: number | null) => ({ fromMs, maxParallelRequests: mpr, rpmLimit: null, tpmLimit: null, source: "proxy" });

describe("violation episodes", () => {
  it("uses the limit in force at each second", () => {
    const steps = [step(0, 5), step(100_000, 10), step(200_000, null)];
    expect(limitAt(steps, 50)).toBe(5);
    expect(limitAt(steps, 150)).toBe(10);
    expect(limitAt(steps, 250)).toBeNull();
  });

  it("groups seconds above the limit into episodes, bridging short gaps, with their peak", () => {
    const steps = [step(0, 5), step(100_000, 10)];
    const rows = [
      { sec: 10, maxInFlight: 6 },
      { sec: 11, maxInFlight: 9 },
      { sec: 14, maxInFlight: 7 }, // 2 quiet seconds: same episode
      { sec: 40, maxInFlight: 6 }, // new episode
      { sec: 60, maxInFlight: 5 }, // at the limit: not a violation
      { sec: 120, maxInFlight: 8 }, // the limit is 10 by then
    ];
    expect(episodesAbove(rows, steps)).toEqual([
      { fromSec: 10, toSec: 15, peak: 9, limit: 5 },
      { fromSec: 40, toSec: 41, peak: 6, limit: 5 },
    ]);
  });

  it("works on minute roll-up rows", () => {
    expect(episodesAbove([{ sec: 0, maxInFlight: 9 }, { sec: 60, maxInFlight: 9 }], [step(0, 5)], 60, 300)).toEqual([{ fromSec: 0, toSec: 120, peak: 9, limit: 5 }]);
  });
});
