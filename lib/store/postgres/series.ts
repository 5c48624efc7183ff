// The truth series on Postgres. The overview reads 500 keys at once: buckets, totals and above are
// ONE query each for all the keys (key_id = ANY($1), or a join with unnest($1, $2) for per-key
// thresholds), each an index range scan of (key_id, sec) per key in the partitions the time range
// prunes to. Bucket numbers are bigint arithmetic (bigint / bigint truncates), never float.
// replace() deletes and re-inserts a key's range (unnest inserts) in one transaction.
import { COUNT_FIELDS, limitedCount } from "../../concurrency/counts";
import type { SeriesRow } from "../../concurrency/downsample";
import { addRejection, noRejections } from "../../series/rejections";
import type { AboveQuery, BucketQuery, DirtyMark, KeyBucket, KeySeriesRow, RangeTotal, Resolution, SecRange, SeriesRepository, SweepRequests } from "../../series/repository";
import { COUNT_COLUMNS, countsOfRow, SUM_COUNTS } from "../series-columns";
import { intBound, withTx, type Pool, type PoolClient } from "./connection";
import { longestRequestMs } from "./longest-request";
import { PARTITIONED, type Partitions } from "./partitions";

const TABLE: Record<Resolution, { table: string; col: string }> = {
  "1s": { table: "series_1s", col: "sec" },
  "1m": { table: "series_1m", col: "minute" },
  "1h": { table: "series_1h", col: "hour" },
};

type Row = Record<string, unknown>;

export class PgSeriesRepository implements SeriesRepository {
  constructor(
    private readonly pool: Pool,
    private readonly partitions: Partitions,
  ) {}

  async dirtyMarks(limit: number): Promise<DirtyMark[]> {
    const { rows } = await this.pool.query("SELECT id, key_id, from_ms, to_ms FROM series_dirty ORDER BY id LIMIT $1", [limit]);
    return rows.map((m: Row) => ({ id: Number(m.id), keyId: Number(m.key_id), fromMs: Number(m.from_ms), toMs: Number(m.to_ms) }));
  }

  async clearDirty(throughId: number): Promise<void> {
    await this.pool.query("DELETE FROM series_dirty WHERE id <= $1", [throughId]);
  }

  async sweepInput(keyId: number, fromMs: number, toMs: number, lookbackMs: number): Promise<SweepRequests> {
    // Admitted requests overlapping the range (from the lookback on) and the proxy-side 429s in it
    // (concurrency rejections and every other limit's, none of which held a slot): one range scan of the key.
    const longest = await longestRequestMs(this.pool, keyId);
    const { rows } = await this.pool.query<{ start_ms: number; end_ms: number; rejected: boolean; limit_type: string | null }>(
      `SELECT start_ms, end_ms, rejected, limit_type FROM request
       WHERE key_id = $1 AND start_ms >= $2 AND start_ms < $3
         AND CASE WHEN rejected OR limit_type IS NOT NULL THEN start_ms >= $4 ELSE end_ms > $4 END
       ORDER BY start_ms`,
      [keyId, fromMs - Math.max(lookbackMs, longest), toMs, fromMs],
    );
    const isAdmitted = (r: (typeof rows)[number]) => !r.rejected && r.limit_type === null;
    let admitted = 0;
    for (const r of rows) if (isAdmitted(r)) admitted++;
    const starts = new Float64Array(admitted);
    const ends = new Float64Array(admitted);
    const rejections = noRejections();
    let i = 0;
    for (const r of rows) {
      if (!isAdmitted(r)) addRejection(rejections, Number(r.start_ms), r.rejected, r.limit_type);
      else {
        starts[i] = Number(r.start_ms);
        ends[i++] = Number(r.end_ms);
      }
    }
    return { starts, ends, ...rejections };
  }

  async replace(keyId: number, fromSec: number, toSec: number, seconds: SeriesRow[], minutes: SeriesRow[]): Promise<void> {
    await this.partitions.writing(
      [
        [PARTITIONED.series1s, seconds.map((s) => s.sec)],
        [PARTITIONED.series1m, minutes.map((m) => m.sec)],
        // Both ends of the range: the hours it touches may hold older minutes than these.
        [PARTITIONED.series1h, [fromSec, Math.max(fromSec, toSec - 1)]],
      ],
      () =>
        withTx(this.pool, async (c) => {
          await this.replaceIn(c, TABLE["1s"], keyId, fromSec, toSec, seconds);
          await this.replaceIn(c, TABLE["1m"], keyId, fromSec, toSec, minutes);
          // The hours the range touches, recomputed from their minutes (a few dozen rows each).
          const [fromHour, toHour] = [Math.floor(fromSec / 3600) * 3600, Math.ceil(toSec / 3600) * 3600];
          await c.query("DELETE FROM series_1h WHERE key_id = $1 AND hour >= $2 AND hour < $3", [keyId, fromHour, toHour]);
          await c.query(
            `INSERT INTO series_1h (key_id, hour, max_in_flight, ${COUNT_COLUMNS.join(", ")})
             SELECT key_id, minute / 3600 * 3600 AS h, max(max_in_flight), ${SUM_COUNTS}
             FROM series_1m WHERE key_id = $1 AND minute >= $2 AND minute < $3 GROUP BY key_id, h`,
            [keyId, fromHour, toHour],
          );
        }),
    );
  }

  private async replaceIn(c: PoolClient, { table, col }: { table: string; col: string }, keyId: number, fromSec: number, toSec: number, rows: SeriesRow[]) {
    await c.query(`DELETE FROM ${table} WHERE key_id = $1 AND ${col} >= $2 AND ${col} < $3`, [keyId, intBound(fromSec), intBound(toSec)]);
    if (rows.length === 0) return;
    // The other 429s' columns only when a row has any (they default to 0): a key without them is written as before.
    const n = rows.some((r) => limitedCount(r) > 0) ? COUNT_FIELDS.length : 2;
    const counts = COUNT_FIELDS.slice(0, n).map((f) => rows.map((r) => r[f]));
    await c.query(
      `INSERT INTO ${table} (key_id, ${col}, max_in_flight, ${COUNT_COLUMNS.slice(0, n).join(", ")})
       SELECT $1, * FROM unnest($2::bigint[], $3::int[], ${counts.map((_, k) => `$${k + 4}::int[]`).join(", ")})`,
      [keyId, rows.map((r) => r.sec), rows.map((r) => r.maxInFlight), ...counts],
    );
  }

  async buckets(q: BucketQuery): Promise<KeyBucket[]> {
    if (q.keyIds.length === 0) return [];
    const { table, col } = TABLE[q.resolution];
    const base = Math.floor(q.fromSec / q.bucketSec) * q.bucketSec;
    const { rows } = await this.pool.query(
      `SELECT key_id, $4::bigint + (${col} - $4::bigint) / $5::bigint * $5::bigint AS t,
              max(max_in_flight) AS m, ${SUM_COUNTS}
       FROM ${table} WHERE key_id = ANY($1::int[]) AND ${col} >= $2 AND ${col} < $3
       GROUP BY key_id, t ORDER BY key_id, t`,
      [q.keyIds, intBound(q.fromSec), intBound(q.toSec), base, q.bucketSec],
    );
    return rows.map(bucket);
  }

  async totals(keyIds: number[], resolution: Resolution, ranges: SecRange[]): Promise<RangeTotal[]> {
    if (keyIds.length === 0 || ranges.length === 0) return [];
    const { table, col } = TABLE[resolution];
    // Every range in one round trip, each its own aggregate (LATERAL): the range's bounds then reach
    // the index condition and prune partitions. A plain join on the bounds scanned whole tables
    // (2.7 s against 48 ms over a day of 500 keys).
    const { rows } = await this.pool.query(
      `SELECT r.i - 1 AS range, s.*
       FROM unnest($2::bigint[], $3::bigint[]) WITH ORDINALITY AS r(f, t, i)
       CROSS JOIN LATERAL (
         SELECT key_id, max(max_in_flight) AS m, ${SUM_COUNTS}
         FROM ${table} WHERE key_id = ANY($1::int[]) AND ${col} >= r.f AND ${col} < r.t GROUP BY key_id) s
       ORDER BY r.i, s.key_id`,
      [keyIds, ranges.map(([f]) => intBound(f)), ranges.map(([, t]) => intBound(t))],
    );
    return rows.map((r: Row) => ({ keyId: Number(r.key_id), range: Number(r.range), maxInFlight: Number(r.m), ...countsOfRow(r) }));
  }

  async above(queries: AboveQuery[], resolution: Resolution): Promise<KeySeriesRow[]> {
    if (queries.length === 0) return [];
    const { table, col } = TABLE[resolution];
    // One query for every key, each with its own range and threshold; in the order given (as the
    // SQLite adapter returns them), then in time order.
    const { rows } = await this.pool.query(
      `SELECT s.key_id, s.${col} AS sec, s.max_in_flight AS m
       FROM unnest($1::int[], $2::float8[], $3::bigint[], $4::bigint[]) WITH ORDINALITY AS q(key_id, threshold, from_sec, to_sec, ord)
       JOIN ${table} s ON s.key_id = q.key_id AND s.${col} >= q.from_sec AND s.${col} < q.to_sec AND s.max_in_flight > q.threshold
       ORDER BY q.ord, s.${col}`,
      [queries.map((q) => q.keyId), queries.map((q) => q.threshold), queries.map((q) => intBound(q.fromSec)), queries.map((q) => intBound(q.toSec))],
    );
    return rows.map((r: Row) => ({ keyId: Number(r.key_id), sec: Number(r.sec), maxInFlight: Number(r.m) }));
  }
}

function bucket(r: Row): KeyBucket {
  return { keyId: Number(r.key_id), t: Number(r.t), maxInFlight: Number(r.m), ...countsOfRow(r) };
}
