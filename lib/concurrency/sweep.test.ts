import { describe, expect, it } from "vitest";
import { sweepSeconds, type SweepInput } from "./sweep";
import { mulberry32 } from "../traffic/prng";

const T0 = Date.UTC(2026, 10, 25) / 1000; // an epoch second
const ms = (sec: number, msInto = 0) => (T0 + sec) * 1000 + msInto;

/** Sweeps `[start, end]` pairs over seconds [T0 + from, T0 + to) and returns plain arrays. */
function sweep(reqs: [number, number][], from: number, to: number, rejectedAt: number[] = []) {
  const s = sweepSeconds({
    starts: reqs.map((r) => r[0]),
    ends: reqs.map((r) => r[1]),
    rejectedAt,
    fromSec: T0 + from,
    toSec: T0 + to,
  });
  expect(s.fromSec).toBe(T0 + from);
  return { max: [...s.maxInFlight], admitted: [...s.admitted], rejected: [...s.rejected] };
}

/**
 * The naive reference: for each second, every candidate instant (the second's start and every start
 * inside it) against every request. The count only rises at a start, so these instants hold the max.
 */
function reference(input: SweepInput) {
  const { starts, ends, fromSec, toSec } = input;
  const inFlightAt = (t: number) => {
    let c = 0;
    for (let k = 0; k < starts.length; k++) if (starts[k] <= t && t < Math.max(ends[k], starts[k] + 1)) c++;
    return c;
  };
  const max: number[] = [];
  const admitted: number[] = [];
  const rejected: number[] = [];
  for (let sec = fromSec; sec < toSec; sec++) {
    const lo = sec * 1000;
    const hi = lo + 1000;
    let m = inFlightAt(lo);
    let a = 0;
    for (let k = 0; k < starts.length; k++) {
      if (starts[k] >= lo && starts[k] < hi) {
        a++;
        m = Math.max(m, inFlightAt(starts[k]));
      }
    }
    let r = 0;
    for (const t of Array.from(input.rejectedAt ?? [])) if (t >= lo && t < hi) r++;
    max.push(m);
    admitted.push(a);
    rejected.push(r);
  }
  return { max, admitted, rejected };
}

describe("sweepSeconds: small cases", () => {
  it("gives zeros of the range's length for no requests, and nothing for an empty range", () => {
    expect(sweep([], 0, 3)).toEqual({ max: [0, 0, 0], admitted: [0, 0, 0], rejected: [0, 0, 0] });
    expect(sweep([[ms(0), ms(5)]], 2, 2)).toEqual({ max: [], admitted: [], rejected: [] });
  });

  it("counts a request that starts and ends inside one second", () => {
    expect(sweep([[ms(1, 100), ms(1, 200)]], 0, 3)).toEqual({ max: [0, 1, 0], admitted: [0, 1, 0], rejected: [0, 0, 0] });
  });

  it("does not overlap back-to-back requests, within a second or across its boundary", () => {
    expect(sweep([[ms(0, 100), ms(0, 500)], [ms(0, 500), ms(0, 900)]], 0, 1).max).toEqual([1]);
    expect(sweep([[ms(0), ms(1)], [ms(1), ms(2)]], 0, 3).max).toEqual([1, 1, 0]);
    // One more ms of overlap and they do.
    expect(sweep([[ms(0, 100), ms(0, 501)], [ms(0, 500), ms(0, 900)]], 0, 1).max).toEqual([2]);
  });

  it("treats the end as exclusive: a request ending on a second's first ms is not in it", () => {
    expect(sweep([[ms(0, 500), ms(2)]], 0, 3).max).toEqual([1, 1, 0]);
    expect(sweep([[ms(0, 500), ms(2, 1)]], 0, 3).max).toEqual([1, 1, 1]);
  });

  it("stacks nested requests and keeps the peak of each second", () => {
    const reqs: [number, number][] = [
      [ms(0), ms(5)],
      [ms(1), ms(2, 500)],
      [ms(1, 200), ms(1, 300)],
      [ms(1, 250), ms(1, 260)],
    ];
    expect(sweep(reqs, 0, 6)).toEqual({
      max: [1, 4, 2, 1, 1, 0],
      admitted: [1, 3, 0, 0, 0, 0],
      rejected: [0, 0, 0, 0, 0, 0],
    });
  });

  it("counts a zero- or negative-duration request for one ms at its start", () => {
    expect(sweep([[ms(1, 500), ms(1, 500)]], 0, 2)).toMatchObject({ max: [0, 1], admitted: [0, 1] });
    expect(sweep([[ms(1, 500), ms(1, 100)]], 0, 2)).toMatchObject({ max: [0, 1], admitted: [0, 1] });
    // It overlaps a request still running at its start, not one that ended there.
    expect(sweep([[ms(1), ms(1, 500)], [ms(1, 499), ms(1, 499)]], 1, 2).max).toEqual([2]);
    expect(sweep([[ms(1), ms(1, 500)], [ms(1, 500), ms(1, 500)]], 1, 2).max).toEqual([1]);
    // Two at the same instant are both in flight then.
    expect(sweep([[ms(1, 7), ms(1, 7)], [ms(1, 7), ms(1, 3)]], 1, 2).max).toEqual([2]);
  });

  it("counts requests running across the range's edges without admitting them", () => {
    // Started before, ends after; started before, ends inside; started inside, ends after.
    const reqs: [number, number][] = [
      [ms(-10), ms(20)],
      [ms(-1, 999), ms(1, 1)],
      [ms(2, 999), ms(9)],
    ];
    expect(sweep(reqs, 0, 3)).toEqual({ max: [2, 2, 2], admitted: [0, 0, 1], rejected: [0, 0, 0] });
  });

  it("ignores requests that only touch the range", () => {
    const reqs: [number, number][] = [
      [ms(-5), ms(0)], // ends on the range's first ms
      [ms(3), ms(4)], // starts on the ms after the range
      [ms(-1, 999), ms(-1, 999)], // zero-duration, its one ms is the last before the range
    ];
    expect(sweep(reqs, 0, 3)).toEqual({ max: [0, 0, 0], admitted: [0, 0, 0], rejected: [0, 0, 0] });
  });

  it("counts rejections per second, inside the range only, apart from concurrency", () => {
    const rejectedAt = [ms(-1, 999), ms(0), ms(0, 999), ms(2, 1), ms(2, 2), ms(3)];
    expect(sweep([], 0, 3, rejectedAt)).toEqual({ max: [0, 0, 0], admitted: [0, 0, 0], rejected: [2, 0, 2] });
  });

  it("counts the other 429s per second and kind, beside rejections, never in flight; absent when there are none", () => {
    const s = sweepSeconds({
      starts: [ms(0, 500)],
      ends: [ms(1, 500)],
      rejectedAt: [ms(1)],
      limitedAt: { rejectedRpm: [ms(0, 1), ms(0, 999), ms(-1, 999)], rejectedTpm: [ms(2, 5)], rejectedOther: [ms(1, 1), ms(3)] },
      fromSec: T0,
      toSec: T0 + 3,
    });
    expect([...s.maxInFlight]).toEqual([1, 1, 0]);
    expect([...s.admitted]).toEqual([1, 0, 0]);
    expect([...s.rejected]).toEqual([0, 1, 0]);
    expect(s.limited && { rpm: [...s.limited.rejectedRpm], tpm: [...s.limited.rejectedTpm], other: [...s.limited.rejectedOther] }).toEqual({
      rpm: [2, 0, 0],
      tpm: [0, 0, 1],
      other: [0, 1, 0],
    });
    expect(sweepSeconds({ starts: [], ends: [], rejectedAt: [ms(1)], fromSec: T0, toSec: T0 + 3 }).limited).toBeUndefined();
    expect(sweepSeconds({ starts: [], ends: [], limitedAt: { rejectedRpm: [] }, fromSec: T0, toSec: T0 + 3 }).limited).toBeUndefined();
    expect(() => sweepSeconds({ starts: [], ends: [], limitedAt: { rejectedTpm: [NaN] }, fromSec: 0, toSec: 1 })).toThrow(/non-finite/);
  });

  it("floors fractional ms", () => {
    expect(sweep([[ms(0, 999.9), ms(1, 0.5)]], 0, 2, [ms(0, 999.5)])).toEqual({
      max: [1, 0],
      admitted: [1, 0],
      rejected: [1, 0],
    });
  });

  it("accepts typed arrays", () => {
    const s = sweepSeconds({
      starts: Float64Array.of(ms(0, 10), ms(0, 20)),
      ends: Float64Array.of(ms(1, 10), ms(0, 30)),
      rejectedAt: Float64Array.of(ms(1, 5)),
      fromSec: T0,
      toSec: T0 + 2,
    });
    expect([...s.maxInFlight, ...s.admitted, ...s.rejected]).toEqual([2, 1, 2, 0, 0, 1]);
  });

  it("rejects malformed input instead of guessing", () => {
    expect(() => sweepSeconds({ starts: [1], ends: [], fromSec: 0, toSec: 1 })).toThrow(/length/);
    expect(() => sweepSeconds({ starts: [], ends: [], fromSec: 2, toSec: 1 })).toThrow(/range/);
    expect(() => sweepSeconds({ starts: [], ends: [], fromSec: 0.5, toSec: 1 })).toThrow(/range/);
    expect(() => sweepSeconds({ starts: [0], ends: [NaN], fromSec: 0, toSec: 1 })).toThrow(/non-finite/);
    expect(() => sweepSeconds({ starts: [], ends: [], rejectedAt: [Infinity], fromSec: 0, toSec: 1 })).toThrow(
      /non-finite/,
    );
  });
});

describe("sweepSeconds against the naive recount", () => {
  it("agrees on thousands of random inputs dense in ties, edges and zero durations", () => {
    const rand = mulberry32(20261125);
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo));
    for (let run = 0; run < 4000; run++) {
      // Before, at and after the epoch, so negative times are covered too.
      const fromSec = [T0, 0, -3][run % 3] + int(-2, 3);
      const seconds = int(0, 7);
      // A coarse grid half of the time makes equal timestamps (ties) common.
      const grid = rand() < 0.5 ? 250 : 1;
      const at = () => (fromSec - 2) * 1000 + int(0, (seconds + 4) * 1000 / grid) * grid;
      const n = int(0, 25);
      const starts: number[] = [];
      const ends: number[] = [];
      for (let k = 0; k < n; k++) {
        const start = at();
        const kind = rand();
        starts.push(start);
        if (kind < 0.15) ends.push(start); // zero duration
        else if (kind < 0.2) ends.push(start - int(1, 3000)); // end before start
        else if (kind < 0.6) ends.push(at()); // anywhere, often before the start
        else ends.push(start + int(1, 4) * grid); // short, often back to back
      }
      const rejectedAt = Array.from({ length: int(0, 6) }, at);
      const input: SweepInput = { starts, ends, rejectedAt, fromSec, toSec: fromSec + seconds };
      const s = sweepSeconds(input);
      const got = { max: [...s.maxInFlight], admitted: [...s.admitted], rejected: [...s.rejected] };
      expect(got, JSON.stringify(input)).toEqual(reference(input));

      // Any sub-range gives its seconds the same values: the ingest re-sweeps only a window.
      const lo = int(0, seconds + 1);
      const hi = int(lo, seconds + 1);
      const part = sweepSeconds({ ...input, fromSec: fromSec + lo, toSec: fromSec + hi });
      expect([...part.maxInFlight, ...part.admitted, ...part.rejected]).toEqual([
        ...s.maxInFlight.subarray(lo, hi),
        ...s.admitted.subarray(lo, hi),
        ...s.rejected.subarray(lo, hi),
      ]);
    }
  });

  it("agrees at scale on a random sample of seconds", () => {
    const rand = mulberry32(7);
    const n = 20_000;
    const seconds = 600;
    const starts = new Float64Array(n);
    const ends = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      starts[k] = T0 * 1000 + Math.floor(rand() * seconds * 1000);
      ends[k] = starts[k] + Math.floor(rand() * rand() * 30_000);
    }
    const input = { starts, ends, fromSec: T0 + 10, toSec: T0 + seconds - 10 };
    const s = sweepSeconds(input);
    let peak = 0;
    for (let k = 0; k < 40; k++) {
      const i = Math.floor(rand() * s.maxInFlight.length);
      const one = reference({ starts, ends, fromSec: s.fromSec + i, toSec: s.fromSec + i + 1 });
      expect([s.maxInFlight[i], s.admitted[i]]).toEqual([one.max[0], one.admitted[0]]);
      peak = Math.max(peak, one.max[0]);
    }
    expect(peak).toBeGreaterThan(50); // the sample really exercised overlaps
  });

  it("is exact across the seams of a range longer than one internal chunk (~46 days)", () => {
    const fromSec = T0;
    const toSec = T0 + 50 * 86_400;
    const seam = (fromSec + 4_000_000) * 1000; // where the second chunk starts
    const reqs: [number, number][] = [
      [seam - 5_000, seam + 5_000], // spans the seam
      [seam - 1, seam - 1], // zero-duration on the last ms before it
      [seam, seam + 10], // starts on it
      [seam - 2_000, seam], // ends on it
      [fromSec * 1000, toSec * 1000 + 1], // spans everything
      [toSec * 1000 - 1, toSec * 1000 + 60_000], // starts in the last ms
    ];
    const input: SweepInput = {
      starts: reqs.map((r) => r[0]),
      ends: reqs.map((r) => r[1]),
      rejectedAt: [seam - 1, seam, toSec * 1000 - 1],
      fromSec,
      toSec,
    };
    const s = sweepSeconds(input);
    expect(s.maxInFlight.length).toBe(toSec - fromSec);
    for (const sec of [fromSec, seam / 1000 - 3, seam / 1000 - 1, seam / 1000, seam / 1000 + 4, seam / 1000 + 5, toSec - 1]) {
      const i = sec - fromSec;
      const one = reference({ ...input, fromSec: sec, toSec: sec + 1 });
      expect([s.maxInFlight[i], s.admitted[i], s.rejected[i]], `second ${sec}`).toEqual([
        one.max[0],
        one.admitted[0],
        one.rejected[0],
      ]);
    }
    expect(s.maxInFlight[seam / 1000 - fromSec - 1]).toBe(4);
    expect(s.maxInFlight[seam / 1000 - fromSec]).toBe(3);
  });
});
