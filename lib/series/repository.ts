import type { LimitedField, RequestCounts } from "../concurrency/counts";
import type { SeriesRow } from "../concurrency/downsample";
import type { KeyRange } from "./ranges";

/** A stored series table: per second, or the per-minute or per-hour roll-up. */
export type Resolution = "1s" | "1m" | "1h";

/** Seconds each resolution's rows cover. */
export const RESOLUTION_SEC: Record<Resolution, number> = { "1s": 1, "1m": 60, "1h": 3600 };

/** A key's time range to recompute, as ingest marked it. */
export interface DirtyMark extends KeyRange {
  id: number;
}

/** What the sweep of one key's range needs from the stored requests. */
export interface SweepRequests {
  /** Admitted requests overlapping the range, as parallel arrays of start and end (ms). */
  starts: Float64Array;
  ends: Float64Array;
  /** Start (ms) of each concurrency rejection (a 429 for max_parallel_requests) in the range. */
  rejectedAt: number[];
  /** Start (ms) of each other proxy-side 429 in the range, by how it is counted (lib/concurrency/counts.ts). */
  limitedAt: Record<LimitedField, number[]>;
}

/** A key's aggregate over one bucket: most in flight, sums of the counts. */
export interface KeyBucket extends RequestCounts {
  keyId: number;
  /** Bucket start, epoch s (aligned to a multiple of the bucket size). */
  t: number;
  maxInFlight: number;
}

/** A key's aggregate over one of the ranges asked for. */
export interface RangeTotal extends RequestCounts {
  keyId: number;
  /** Index of the range in the query. */
  range: number;
  maxInFlight: number;
}

/** A time range [fromSec, toSec). */
export type SecRange = readonly [fromSec: number, toSec: number];

/** One stored row (a second, or a minute of the roll-up) of a key. */
export interface KeySeriesRow {
  keyId: number;
  sec: number;
  maxInFlight: number;
}

/** Rows of one key in [fromSec, toSec) with more in flight than `threshold`. */
export interface AboveQuery {
  keyId: number;
  threshold: number;
  fromSec: number;
  toSec: number;
}

export interface BucketQuery {
  keyIds: number[];
  resolution: Resolution;
  /** Rows with `sec` in [fromSec, toSec) are read. */
  fromSec: number;
  toSec: number;
  bucketSec: number;
}

/** The truth series (per second and per minute) and the marks of what must be recomputed. */
export interface SeriesRepository {
  /** The oldest `limit` marks, by id. */
  dirtyMarks(limit: number): Promise<DirtyMark[]>;
  /** Removes every mark up to and including `throughId`. */
  clearDirty(throughId: number): Promise<void>;
  /**
   * Admitted requests of a key that started in [fromMs - lookback, toMs) and were still running at
   * fromMs, and the proxy-side 429s (by limit) that happened in [fromMs, toMs). The lookback is `lookbackMs`, or the
   * key's longest stored request when longer: every stored request overlapping the range is in.
   */
  sweepInput(keyId: number, fromMs: number, toMs: number, lookbackMs: number): Promise<SweepRequests>;
  /**
   * Replaces a key's seconds and minutes in [fromSec, toSec) (whole minutes) with these rows, and
   * recomputes the hours they fall in from the minutes, in one transaction.
   */
  replace(keyId: number, fromSec: number, toSec: number, seconds: SeriesRow[], minutes: SeriesRow[]): Promise<void>;
  /** Per key and epoch-aligned bucket, grouped in the store; buckets without rows are absent. */
  buckets(q: BucketQuery): Promise<KeyBucket[]>;
  /** Per key and range, one aggregate over the range; in one read for all of them. Keys without rows in a range are absent for it. */
  totals(keyIds: number[], resolution: Resolution, ranges: SecRange[]): Promise<RangeTotal[]>;
  /** Each query's rows (its key, its range, above its threshold), in the order of the queries, each in time order. */
  above(queries: AboveQuery[], resolution: Resolution): Promise<KeySeriesRow[]>;
}
