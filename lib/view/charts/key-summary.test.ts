import { describe, expect, it } from "vitest";
import { keyStateFixture } from "../../../tests/support/key-state";
import type { KeySeries } from "../../api/keys";
import { completeToMs, latestBelief, truthAsOf } from "./key-summary";

const T0 = 1_795_000_000_000;
const pts = (inFlight: number[], rejected: number[] = []) =>
  inFlight.map((n, i) => ({ t: T0 + i * 1000, inFlight: n, admitted: n ? 1 : 0, rejected: rejected[i] ?? 0, rejectedRpm: 0, rejectedTpm: 0, rejectedOther: 0 }));

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
    live: [],
    provisionalFromMs: null,
    state: keyStateFixture(),
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

describe("completeToMs", () => {
  it("is the last poll minus the ingest lag, when both are known", () => {
    expect(completeToMs("2026-11-25T14:00:00.000Z", 35_000)).toBe(Date.parse("2026-11-25T13:59:25Z"));
    expect(completeToMs(null, 35_000)).toBeNull();
    expect(completeToMs("2026-11-25T14:00:00.000Z", null)).toBeNull();
  });
});
