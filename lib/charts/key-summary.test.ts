import { describe, expect, it } from "vitest";
import { keyStatus } from "../overview/status";
import type { KeySeries } from "../series/key-series";
import { completeToMs, latestBelief, statusInput, truthAsOf } from "./key-summary";

const T0 = 1_795_000_000_000;
const pts = (inFlight: number[], rejected: number[] = []) =>
  inFlight.map((n, i) => ({ t: T0 + i * 1000, inFlight: n, admitted: n ? 1 : 0, rejected: rejected[i] ?? 0 }));

function series(points: KeySeries["points"], belief: KeySeries["belief"] = []): KeySeries {
  return {
    key: { id: 1, hash: "a".repeat(64), alias: null, teamId: null, maxParallelRequests: 5, rpmLimit: null, tpmLimit: null, inCatalog: true },
    fromMs: T0,
    toMs: T0 + points.length * 1000,
    bucketMs: 1000,
    resolution: "1s",
    points,
    limits: [],
    belief,
    provisionalFromMs: null,
  };
}

describe("truthAsOf", () => {
  it("takes the newest bucket that ended where stored truth is complete", () => {
    const p = pts([1, 6, 2, 0]);
    expect(truthAsOf(p, 1000, T0 + 2000)).toEqual({ t: T0 + 1000, inFlight: 6 });
    expect(truthAsOf(p, 1000, null)).toEqual({ t: T0 + 3000, inFlight: 0 });
    expect(truthAsOf(p, 1000, T0)).toBeNull();
  });
});

describe("latestBelief", () => {
  it("skips buckets without a sample", () => {
    expect(
      latestBelief([
        { t: T0, believed: 3, rawMin: 3, rawMax: 3, era: "gauge" },
        { t: T0 + 1000, believed: null, rawMin: null, rawMax: null, era: "gauge" },
      ]),
    ).toEqual({ t: T0, believed: 3 });
    expect(latestBelief([])).toBeNull();
  });
});

describe("statusInput", () => {
  it("reads the range for peak and totals, the recent window for now", () => {
    const range = series(pts([2, 7, 3]));
    const recent = series(pts([0, 3], [0, 2]), [{ t: T0, believed: 4, rawMin: 4, rawMax: 4, era: "gauge" }]);
    const s = statusInput(range, recent);
    expect(s).toEqual({ limit: 5, peak: 7, admitted: 3, rejected: 0, recentPeak: 3, recentRejected: 2, believed: 4 });
    expect(keyStatus(s)).toBe("exceeded");
  });

  it("flags a stuck limiter: 429s while nothing is in flight", () => {
    const recent = series(pts([0, 0], [4, 4]), [{ t: T0, believed: 5, rawMin: 5, rawMax: 5, era: "windowed" }]);
    expect(keyStatus(statusInput(recent, recent))).toBe("stuck");
  });

  it("works before the recent window has loaded", () => {
    expect(statusInput(series(pts([1])), null)).toMatchObject({ recentPeak: 0, recentRejected: 0, believed: null });
  });
});

describe("completeToMs", () => {
  it("is the last poll minus the ingest lag, when both are known", () => {
    expect(completeToMs("2026-11-25T14:00:00.000Z", 35_000)).toBe(Date.parse("2026-11-25T13:59:25Z"));
    expect(completeToMs(null, 35_000)).toBeNull();
    expect(completeToMs("2026-11-25T14:00:00.000Z", null)).toBeNull();
  });
});
