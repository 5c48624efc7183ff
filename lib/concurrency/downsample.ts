import { addCounts, zeroCounts, type PartialCounts, type RequestCounts } from "./counts";
import type { SecondSeries } from "./sweep";

/** One stored row: a second (or a roll-up step starting at `sec`). Seconds without a row are all zero. */
export interface SeriesRow extends RequestCounts {
  sec: number;
  maxInFlight: number;
}

/** A row as `bucketize` reads it: one without the other 429s' counts counts none of them. */
export type BucketInput = PartialCounts & { sec: number; maxInFlight: number };

export interface Bucket extends RequestCounts {
  /** Bucket start, epoch s, aligned to a multiple of the bucket size. */
  t: number;
  maxInFlight: number;
}

/** Sizes a human reads at a glance on a time axis, and that nest into minutes, hours and days. */
const NICE_BUCKETS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
] as const;

/**
 * Smallest "nice" bucket (1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12, 24 h) so that
 * ceil(rangeSec / bucket) <= maxPoints; past a day per bucket, the smallest whole number of days.
 * Epoch-aligned buckets (see `bucketize`) can number one more when the range is not aligned.
 */
export function chooseBucketSeconds(rangeSec: number, maxPoints: number): number {
  if (!(rangeSec >= 0 && Number.isFinite(rangeSec)) || !Number.isSafeInteger(maxPoints) || maxPoints < 1) {
    throw new RangeError(`bad rangeSec ${rangeSec} or maxPoints ${maxPoints}`);
  }
  for (const bucket of NICE_BUCKETS) if (Math.ceil(rangeSec / bucket) <= maxPoints) return bucket;
  return Math.ceil(rangeSec / maxPoints / 86400) * 86400;
}

/**
 * Sparse rows (at most one per second; missing seconds are zero) → every bucket that meets
 * [fromSec, toSec), empty ones included so a chart has no gaps. A bucket keeps the maximum of
 * `maxInFlight` (a peak is never averaged away) and the sums of the counts. Rows outside the range
 * are ignored. Roll-up rows work too when `bucketSec` is a multiple of their step and the range is
 * aligned to it.
 */
export function bucketize(rows: Iterable<BucketInput>, fromSec: number, toSec: number, bucketSec: number): Bucket[] {
  if (!Number.isSafeInteger(bucketSec) || bucketSec < 1) throw new RangeError(`bad bucketSec ${bucketSec}`);
  if (!Number.isSafeInteger(fromSec) || !Number.isSafeInteger(toSec) || toSec < fromSec) {
    throw new RangeError(`bad range [${fromSec}, ${toSec}): whole seconds, from <= to`);
  }
  if (toSec === fromSec) return [];
  const first = Math.floor(fromSec / bucketSec) * bucketSec;
  const count = Math.floor((toSec - 1 - first) / bucketSec) + 1;
  const buckets: Bucket[] = Array.from({ length: count }, (_, k) => ({ t: first + k * bucketSec, maxInFlight: 0, ...zeroCounts() }));
  for (const row of rows) {
    if (!(row.sec >= fromSec && row.sec < toSec)) continue;
    const b = buckets[Math.floor((row.sec - first) / bucketSec)];
    if (row.maxInFlight > b.maxInFlight) b.maxInFlight = row.maxInFlight;
    addCounts(b, row);
  }
  return buckets;
}

/** The seconds of a dense series where anything happened: what the store keeps per second. */
export function sparseRows(series: SecondSeries): SeriesRow[] {
  return rollup(series, 1);
}

/**
 * Roll-up rows of `stepSec` seconds (max of the maxima, sums of the counts), sparse like
 * `sparseRows`, each `sec` the epoch-aligned step start. The series must cover whole steps: a
 * partial step would be stored as the maximum of a step while covering only part of it.
 */
export function rollup(series: SecondSeries, stepSec: number): SeriesRow[] {
  const { fromSec, maxInFlight, admitted, rejected, limited } = series;
  if (!Number.isSafeInteger(stepSec) || stepSec < 1) throw new RangeError(`bad stepSec ${stepSec}`);
  if (fromSec % stepSec !== 0 || maxInFlight.length % stepSec !== 0) {
    throw new RangeError(
      `series [${fromSec}, ${fromSec + maxInFlight.length}) does not cover whole ${stepSec}-second steps`,
    );
  }
  const rows: SeriesRow[] = [];
  for (let i = 0; i < maxInFlight.length; i += stepSec) {
    let max = 0;
    let adm = 0;
    let rej = 0;
    for (let k = i; k < i + stepSec; k++) {
      if (maxInFlight[k] > max) max = maxInFlight[k];
      adm += admitted[k];
      rej += rejected[k];
    }
    // The other 429s only when the sweep saw any (a key without them pays nothing for them).
    let rpm = 0;
    let tpm = 0;
    let other = 0;
    if (limited) {
      for (let k = i; k < i + stepSec; k++) {
        rpm += limited.rejectedRpm[k];
        tpm += limited.rejectedTpm[k];
        other += limited.rejectedOther[k];
      }
    }
    if (max !== 0 || adm !== 0 || rej !== 0 || rpm !== 0 || tpm !== 0 || other !== 0) {
      rows.push({ sec: fromSec + i, maxInFlight: max, admitted: adm, rejected: rej, rejectedRpm: rpm, rejectedTpm: tpm, rejectedOther: other });
    }
  }
  return rows;
}

/** Per-minute roll-up rows, for long ranges. */
export function rollupMinutes(series: SecondSeries): SeriesRow[] {
  return rollup(series, 60);
}
