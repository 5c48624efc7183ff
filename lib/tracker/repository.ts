/** One key's most requests in flight in one second, as the tracker saw it live. */
export interface LiveSecondRow {
  keyId: number;
  /** Epoch second. */
  sec: number;
  maxInFlight: number;
}

export interface LiveBucket {
  /** Bucket start, epoch s. */
  t: number;
  maxInFlight: number;
}

/**
 * The live series: the tracker's per-second truth for the last minutes, kept apart from the
 * settled series (spend logs stay the record) and only until spend logs have settled it.
 */
export interface LiveSeriesRepository {
  /** Stores seconds; a second stored again keeps the larger count. */
  write(rows: LiveSecondRow[]): Promise<void>;
  /** The most in flight per epoch-aligned bucket of `bucketSec` over [fromSec, toSec); buckets without rows are absent. */
  buckets(keyId: number, fromSec: number, toSec: number, bucketSec: number): Promise<LiveBucket[]>;
  /** Each key's most in flight over [fromSec, toSec); keys without a live second there are absent. */
  peaks(keyIds: number[], fromSec: number, toSec: number): Promise<Map<number, number>>;
  /** Drops the seconds before `sec`; how many went. */
  pruneBefore(sec: number): Promise<number>;
}
