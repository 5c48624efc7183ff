import { bucketize, chooseBucketSeconds, type Bucket } from "../concurrency/downsample";
import type { Sqlite } from "../store/sqlite";

export interface SeriesWindow {
  bucketSec: number;
  buckets: Bucket[];
  /** Where the buckets came from: per-second rows, or the minute roll-up for long ranges. */
  resolution: "1s" | "1m";
}

/**
 * Reads one key's series over [fromSec, toSec) cut to at most ~maxPoints buckets, keeping each
 * bucket's peak (max of maxima; sums of counts). The grouping runs in SQL over the clustered
 * (key, second) table; buckets of a minute or more read the minute roll-up instead.
 */
export class SeriesReader {
  private readonly stmt;

  constructor(db: Sqlite) {
    const grouped = (table: string, col: string) =>
      db.prepare(
        `SELECT (${col} - ?) / ? AS b, MAX(max_in_flight) AS m, SUM(admitted) AS a, SUM(rejected) AS r
         FROM ${table} WHERE key_id = ? AND ${col} >= ? AND ${col} < ? GROUP BY b`,
      );
    this.stmt = { seconds: grouped("series_1s", "sec"), minutes: grouped("series_1m", "minute") };
  }

  read(keyId: number, fromSec: number, toSec: number, maxPoints: number): SeriesWindow {
    const bucketSec = chooseBucketSeconds(toSec - fromSec, maxPoints);
    const resolution = bucketSec >= 60 && bucketSec % 60 === 0 ? "1m" : "1s";
    // Buckets are epoch-aligned so the same instant always lands in the same bucket.
    const base = Math.floor(fromSec / bucketSec) * bucketSec;
    const rows = (resolution === "1m" ? this.stmt.minutes : this.stmt.seconds).all(
      BigInt(base),
      BigInt(bucketSec),
      keyId,
      // A minute row covers its whole minute, and every minute lies inside one aligned bucket.
      resolution === "1m" ? Math.floor(fromSec / 60) * 60 : fromSec,
      toSec,
    ) as { b: number | bigint; m: number; a: number; r: number }[];
    const buckets = bucketize(
      rows.map((row) => ({ sec: Math.max(fromSec, base + Number(row.b) * bucketSec), maxInFlight: row.m, admitted: row.a, rejected: row.r })),
      fromSec,
      toSec,
      bucketSec,
    );
    return { bucketSec, buckets, resolution };
  }
}
