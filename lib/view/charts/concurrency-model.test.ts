import { describe, expect, it } from "vitest";
import { keyStateFixture } from "../../../tests/support/key-state";
import type { KeySeries } from "../../api/keys";
import { concurrencyModel } from "./concurrency-model";

const T0 = 1_795_000_000_000;

function series(over: Partial<KeySeries> & { inFlight: number[] }): KeySeries {
  const { inFlight, ...rest } = over;
  const bucketMs = rest.bucketMs ?? 1000;
  return {
    key: { id: 1, hash: "a".repeat(64), alias: "k", teamId: null, maxParallelRequests: 5, rpmLimit: null, tpmLimit: null, inCatalog: true },
    fromMs: T0,
    toMs: T0 + inFlight.length * bucketMs,
    bucketMs,
    resolution: "1s",
    points: inFlight.map((n, i) => ({ t: T0 + i * bucketMs, inFlight: n, admitted: n ? 1 : 0, rejected: 0, rejectedRpm: 0, rejectedTpm: 0, rejectedOther: 0 })),
    limits: [{ fromMs: T0, maxParallelRequests: 5, rpmLimit: null, tpmLimit: null, source: "proxy" }],
    belief: [],
    live: [],
    provisionalFromMs: null,
    state: keyStateFixture(),
    ...rest,
  };
}

describe("concurrencyModel", () => {
  it("gives each bucket the limit in force, stepping where the limit changed", () => {
    const m = concurrencyModel(
      series({
        inFlight: [1, 2, 3, 4],
        limits: [
          { fromMs: T0, maxParallelRequests: 5, rpmLimit: null, tpmLimit: null, source: "proxy" },
          { fromMs: T0 + 2000, maxParallelRequests: 2, rpmLimit: null, tpmLimit: null, source: "proxy" },
        ],
      }),
    );
    expect(m.rows.map((r) => r.limit)).toEqual([5, 5, 2, 2]);
    expect(m.limitChanges).toEqual([
      { t: T0, limit: 5 },
      { t: T0 + 2000, limit: 2 },
    ]);
    // Above the lowered limit: one episode over the last two seconds.
    expect(m.episodes).toEqual([{ fromMs: T0 + 2000, toMs: T0 + 4000, peak: 4, limit: 2 }]);
  });

  it("applies the first limit to a bucket that starts before the clamped range start", () => {
    // 10 s buckets are epoch-aligned, so the first starts before fromMs, where the API clamped the first step.
    const fromMs = T0 + 3000;
    const m = concurrencyModel({
      ...series({ inFlight: [7, 1], bucketMs: 10_000 }),
      fromMs,
      limits: [{ fromMs, maxParallelRequests: 5, rpmLimit: null, tpmLimit: null, source: "proxy" }],
    });
    expect(m.rows[0].limit).toBe(5);
    expect(m.episodes).toEqual([{ fromMs: T0, toMs: T0 + 10_000, peak: 7, limit: 5 }]);
  });

  it("shades the excess between limit and truth, closing each run on the next bucket", () => {
    const m = concurrencyModel(series({ inFlight: [3, 6, 8, 2, 0, 7, 5] }));
    expect(m.rows.map((r) => r.excess)).toEqual([null, [5, 6], [5, 8], [5, 5], null, [5, 7], [5, 5]]);
    // Adjacent buckets form one episode; a quiet bucket splits them (the chart shades what it shows).
    expect(m.episodes).toEqual([
      { fromMs: T0 + 1000, toMs: T0 + 3000, peak: 8, limit: 5 },
      { fromMs: T0 + 5000, toMs: T0 + 6000, peak: 7, limit: 5 },
    ]);
    expect(m.aboveLimitMs).toBe(3000);
    expect(m.peak).toEqual({ t: T0 + 2000, inFlight: 8 });
  });

  it("draws no limit, excess or episode for a key without max_parallel_requests", () => {
    const m = concurrencyModel(
      series({ inFlight: [9, 9], limits: [{ fromMs: T0, maxParallelRequests: null, rpmLimit: 10, tpmLimit: null, source: "proxy" }] }),
    );
    expect(m.rows.every((r) => r.limit === null && r.excess === null)).toBe(true);
    expect(m.episodes).toEqual([]);
    expect(m.limitChanges).toEqual([{ t: T0, limit: null }]);
  });

  it("joins belief by bucket and keeps missing samples as null, never as zero", () => {
    const m = concurrencyModel(
      series({ inFlight: [1, 1, 1], belief: [{ t: T0 + 1000, believed: 4, rawMin: 4, rawMax: 4, era: "windowed" }] }),
    );
    expect(m.rows.map((r) => r.believed)).toEqual([null, 4, null]);
    expect(m.hasBelief).toBe(true);
    expect(concurrencyModel(series({ inFlight: [1] })).hasBelief).toBe(false);
  });

  it("marks buckets reaching into the provisional window and clamps its start into the range", () => {
    const m = concurrencyModel(series({ inFlight: [1, 1, 1, 1], provisionalFromMs: T0 + 2500 }));
    expect(m.rows.map((r) => r.provisional)).toEqual([false, false, true, true]);
    expect(m.provisionalFromMs).toBe(T0 + 2500);
    expect(concurrencyModel(series({ inFlight: [1, 1], provisionalFromMs: T0 - 60_000 })).provisionalFromMs).toBe(T0);
    expect(concurrencyModel(series({ inFlight: [1, 1], provisionalFromMs: T0 + 60_000 })).provisionalFromMs).toBeNull();
  });

  it("says when there is no traffic and keeps a usable axis", () => {
    const m = concurrencyModel(series({ inFlight: [0, 0, 0] }));
    expect(m.hasTraffic).toBe(false);
    expect(m.peak).toBeNull();
    expect(m.yMax).toBeGreaterThan(5);
  });

  it("counts a key with only 429s as traffic, whatever limit gave them", () => {
    const s = series({ inFlight: [0, 0] });
    s.points[1].rejected = 3;
    expect(concurrencyModel(s).hasTraffic).toBe(true);
    const rpmOnly = series({ inFlight: [0, 0] });
    rpmOnly.points[0].rejectedRpm = 2;
    expect(concurrencyModel(rpmOnly).hasTraffic).toBe(true);
  });

  it("keeps each bucket's 429s by limit and lists only the kinds the range holds, concurrency first", () => {
    const s = series({ inFlight: [1, 2, 0] });
    Object.assign(s.points[0], { rejectedTpm: 1 });
    Object.assign(s.points[1], { rejected: 2, rejectedRpm: 5, rejectedTpm: 1 });
    const m = concurrencyModel(s);
    expect(m.rows.map((r) => [r.rejected, r.rejectedRpm, r.rejectedTpm, r.rejectedOther])).toEqual([
      [0, 0, 1, 0],
      [2, 5, 1, 0],
      [0, 0, 0, 0],
    ]);
    expect(m.rejections.map((k) => k.label)).toEqual(["429 max_parallel_requests", "429 rpm", "429 tpm"]);
    // The 429 axis fits the stack of every kind in one bucket.
    expect(m.max429).toBe(8);
    // 429s never change what was in flight.
    expect(m.rows.map((r) => r.inFlight)).toEqual([1, 2, 0]);

    const quiet = concurrencyModel(series({ inFlight: [1, 1] }));
    expect(quiet.rejections).toEqual([]);
    expect(quiet.max429).toBe(0);
    const other = series({ inFlight: [1] });
    other.points[0].rejectedOther = 4;
    expect(concurrencyModel(other).rejections.map((k) => k.label)).toEqual(["429 other limits"]);
  });

  it("draws live truth over the provisional window only, up to the newest live bucket, a missing bucket being zero", () => {
    const m = concurrencyModel(
      series({
        inFlight: [1, 1, 0, 0, 0, 0],
        provisionalFromMs: T0 + 2000,
        // Seconds 2 and 4 live; 3 had nothing in flight; 5 is not known live yet; 1 is settled.
        live: [
          { t: T0 + 1000, inFlight: 9 },
          { t: T0 + 2000, inFlight: 4 },
          { t: T0 + 4000, inFlight: 7 },
        ],
      }),
    );
    expect(m.rows.map((r) => r.live)).toEqual([null, null, 4, 0, 7, null]);
    expect(m.hasLive).toBe(true);
    expect(m.yMax).toBeGreaterThanOrEqual(7);
    expect(concurrencyModel(series({ inFlight: [1, 2], provisionalFromMs: T0 })).hasLive).toBe(false);
    // Before the first live bucket the tracker saw nothing (not running, or idle): not drawn as zero.
    const late = concurrencyModel(series({ inFlight: [0, 0, 0, 2, 0], provisionalFromMs: T0, live: [{ t: T0 + 3000, inFlight: 2 }] }));
    expect(late.rows.map((r) => r.live)).toEqual([null, null, null, 2, null]);
  });
});
