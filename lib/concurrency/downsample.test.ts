import { describe, expect, it } from "vitest";
import { bucketize, chooseBucketSeconds, rollup, rollupMinutes, sparseRows, type SeriesRow } from "./downsample";
import { sweepSeconds, type SecondSeries } from "./sweep";
import { mulberry32 } from "../traffic/prng";

const T0 = Date.UTC(2026, 10, 25) / 1000; // midnight UTC: aligned to every nice bucket

function series(fromSec: number, max: number[], admitted?: number[], rejected?: number[]): SecondSeries {
  const zeros = () => max.map(() => 0);
  return {
    fromSec,
    maxInFlight: Int32Array.from(max),
    admitted: Int32Array.from(admitted ?? zeros()),
    rejected: Int32Array.from(rejected ?? zeros()),
  };
}

const row = (sec: number, maxInFlight: number, admitted = 0, rejected = 0, [rejectedRpm, rejectedTpm, rejectedOther] = [0, 0, 0]): SeriesRow => ({
  sec,
  maxInFlight,
  admitted,
  rejected,
  rejectedRpm,
  rejectedTpm,
  rejectedOther,
});
/** A bucket as bucketize returns it: a row's fields, its start as `t`. */
const bucket = (...args: Parameters<typeof row>) => {
  const { sec, ...rest } = row(...args);
  return { t: sec, ...rest };
};

describe("chooseBucketSeconds", () => {
  it("picks the smallest nice bucket that fits", () => {
    expect(chooseBucketSeconds(0, 1500)).toBe(1);
    expect(chooseBucketSeconds(1500, 1500)).toBe(1);
    expect(chooseBucketSeconds(1501, 1500)).toBe(2);
    expect(chooseBucketSeconds(3600, 1500)).toBe(5);
    expect(chooseBucketSeconds(86_400, 1500)).toBe(60); // 1,440 points; 30 s would be 2,880
    expect(chooseBucketSeconds(7 * 86_400, 1500)).toBe(600);
    expect(chooseBucketSeconds(30 * 86_400, 1500)).toBe(1800);
    expect(chooseBucketSeconds(86_400, 1)).toBe(86_400);
    expect(chooseBucketSeconds(10 * 86_400, 3)).toBe(4 * 86_400); // past a day: whole days
  });

  it("never exceeds maxPoints and no smaller nice bucket would do", () => {
    const nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
    const rand = mulberry32(3);
    for (let k = 0; k < 2000; k++) {
      const range = Math.floor(rand() ** 3 * 400 * 86_400);
      const points = 1 + Math.floor(rand() * 2000);
      const b = chooseBucketSeconds(range, points);
      expect(Math.ceil(range / b)).toBeLessThanOrEqual(points);
      const smaller = b > 86_400 ? b - 86_400 : nice[nice.indexOf(b) - 1];
      if (smaller) expect(Math.ceil(range / smaller)).toBeGreaterThan(points);
    }
  });

  it("rejects a negative or infinite range and fewer than one point", () => {
    expect(() => chooseBucketSeconds(-1, 10)).toThrow(RangeError);
    expect(() => chooseBucketSeconds(Infinity, 10)).toThrow(RangeError);
    expect(() => chooseBucketSeconds(10, 0)).toThrow(RangeError);
  });
});

describe("bucketize", () => {
  it("keeps each bucket's peak, sums counts and fills empty buckets with zeros", () => {
    const rows = [row(T0 + 7, 1, 1, 0, [0, 0, 2]), row(T0 + 1, 3, 2, 1, [1, 0, 0]), row(T0 + 2, 9, 0, 4, [2, 3, 0]), row(T0 + 3, 2, 5)];
    expect(bucketize(rows, T0, T0 + 15, 5)).toEqual([bucket(T0, 9, 7, 5, [3, 3, 0]), bucket(T0 + 5, 1, 1, 0, [0, 0, 2]), bucket(T0 + 10, 0, 0, 0)]);
  });

  it("aligns buckets to multiples of the bucket size and ignores rows outside the range", () => {
    const rows = [row(T0 + 1, 8), row(T0 + 2, 1, 1), row(T0 + 11, 4), row(T0 + 12, 7)];
    expect(bucketize(rows, T0 + 2, T0 + 12, 5)).toEqual([bucket(T0, 1, 1, 0), bucket(T0 + 5, 0, 0, 0), bucket(T0 + 10, 4, 0, 0)]);
    expect(bucketize(rows, T0, T0, 5)).toEqual([]);
  });

  it("matches a direct max/sum over the dense series, and never loses the peak", () => {
    const rand = mulberry32(11);
    for (let k = 0; k < 200; k++) {
      const len = 1 + Math.floor(rand() * 400);
      const from = T0 + Math.floor(rand() * 100) - 50;
      const s = series(
        from,
        Array.from({ length: len }, () => (rand() < 0.6 ? 0 : Math.floor(rand() * 50))),
        Array.from({ length: len }, () => (rand() < 0.7 ? 0 : Math.floor(rand() * 5))),
        Array.from({ length: len }, () => (rand() < 0.9 ? 0 : 1)),
      );
      const bucketSec = [1, 2, 5, 10, 15, 30, 60][Math.floor(rand() * 7)];
      const got = bucketize(sparseRows(s), from, from + len, bucketSec);
      const want = new Map<number, { max: number; adm: number; rej: number }>();
      for (let i = 0; i < len; i++) {
        const t = Math.floor((from + i) / bucketSec) * bucketSec;
        const b = want.get(t) ?? { max: 0, adm: 0, rej: 0 };
        want.set(t, { max: Math.max(b.max, s.maxInFlight[i]), adm: b.adm + s.admitted[i], rej: b.rej + s.rejected[i] });
      }
      expect(got.map((b) => [b.t, b.maxInFlight, b.admitted, b.rejected])).toEqual(
        [...want].map(([t, b]) => [t, b.max, b.adm, b.rej]),
      );
      expect(Math.max(...got.map((b) => b.maxInFlight))).toBe(Math.max(...s.maxInFlight));
    }
  });
});

describe("sparseRows", () => {
  it("keeps only the seconds where something happened", () => {
    const s = series(T0, [0, 2, 0, 0, 1], [0, 1, 0, 0, 0], [0, 0, 0, 3, 0]);
    expect(sparseRows(s)).toEqual([row(T0 + 1, 2, 1, 0), row(T0 + 3, 0, 0, 3), row(T0 + 4, 1, 0, 0)]);
    expect(sparseRows(series(T0, [0, 0]))).toEqual([]);
  });

  it("keeps a second with only 429s of other limits, and counts them apart from rejections", () => {
    const s = sweepSeconds({
      starts: [],
      ends: [],
      rejectedAt: [(T0 + 1) * 1000],
      limitedAt: { rejectedRpm: [(T0 + 1) * 1000 + 5, (T0 + 3) * 1000], rejectedOther: [(T0 + 3) * 1000 + 999] },
      fromSec: T0,
      toSec: T0 + 4,
    });
    expect(sparseRows(s)).toEqual([row(T0 + 1, 0, 0, 1, [1, 0, 0]), row(T0 + 3, 0, 0, 0, [1, 0, 1])]);
  });
});

describe("rollup", () => {
  it("rolls whole minutes into sparse rows: max of maxima, sums of counts", () => {
    const max = Array.from({ length: 180 }, () => 0);
    const admitted = [...max];
    const rejected = [...max];
    max[5] = 3;
    max[59] = 6;
    admitted[5] = 2;
    rejected[170] = 4;
    max[170] = 1;
    expect(rollupMinutes(series(T0, max, admitted, rejected))).toEqual([row(T0, 6, 2, 0), row(T0 + 120, 1, 0, 4)]);
    // The other 429s are summed per kind too, and alone make a minute worth a row.
    const limited = { ...series(T0, max, admitted, rejected), limited: { rejectedRpm: new Int32Array(180), rejectedTpm: new Int32Array(180), rejectedOther: new Int32Array(180) } };
    limited.limited.rejectedRpm[61] = 2;
    limited.limited.rejectedRpm[119] = 1;
    limited.limited.rejectedTpm[170] = 5;
    limited.limited.rejectedOther[0] = 1;
    expect(rollupMinutes(limited)).toEqual([row(T0, 6, 2, 0, [0, 0, 1]), row(T0 + 60, 0, 0, 0, [3, 0, 0]), row(T0 + 120, 1, 0, 4, [0, 5, 0])]);
  });

  it("refuses a series that does not cover whole steps", () => {
    expect(() => rollup(series(T0 + 1, Array(60).fill(0)), 60)).toThrow(/whole 60-second steps/);
    expect(() => rollup(series(T0, Array(61).fill(0)), 60)).toThrow(/whole 60-second steps/);
    expect(() => rollup(series(T0, Array(60).fill(0)), 0)).toThrow(/stepSec/);
  });

  it("composes: buckets over roll-up rows equal buckets over the per-second rows", () => {
    const rand = mulberry32(5);
    const n = 5000;
    const starts = Array.from({ length: n }, () => T0 * 1000 + Math.floor(rand() * 3600 * 1000));
    const ends = starts.map((s) => s + Math.floor(rand() * 20_000));
    const rejectedAt = starts.filter(() => rand() < 0.05);
    const limitedAt = { rejectedRpm: starts.filter(() => rand() < 0.05), rejectedTpm: starts.filter(() => rand() < 0.02), rejectedOther: starts.filter(() => rand() < 0.01) };
    const s = sweepSeconds({ starts, ends, rejectedAt, limitedAt, fromSec: T0, toSec: T0 + 3600 });
    for (const step of [10, 60]) {
      const rolled = rollup(s, step);
      for (const bucketSec of [60, 300, 900]) {
        expect(bucketize(rolled, T0, T0 + 3600, bucketSec)).toEqual(bucketize(sparseRows(s), T0, T0 + 3600, bucketSec));
      }
    }
  });
});
