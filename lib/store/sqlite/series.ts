import type { SeriesRow } from "../../concurrency/downsample";
import type { AboveQuery, BucketQuery, DirtyMark, KeyBucket, KeySeriesRow, RangeTotal, Resolution, SecRange, SeriesRepository, SweepRequests } from "../../series/repository";
import { longestRequestMs } from "./longest-request";
import { writeTx, type Sqlite } from "./connection";

const TABLE: Record<Resolution, { table: string; col: string }> = {
  "1s": { table: "series_1s", col: "sec" },
  "1m": { table: "series_1m", col: "minute" },
  "1h": { table: "series_1h", col: "hour" },
};

/**
 * The truth series in SQLite. Both tables are clustered by (key, time) (WITHOUT ROWID), so every
 * read is one contiguous range per key: the queries run per key with prepared statements.
 */
export class SqliteSeriesRepository implements SeriesRepository {
  private readonly stmt;
  private readonly perResolution;

  constructor(private readonly db: Sqlite) {
    this.stmt = {
      dirty: db.prepare("SELECT id, key_id AS keyId, from_ms AS fromMs, to_ms AS toMs FROM series_dirty ORDER BY id LIMIT ?"),
      clearDirty: db.prepare("DELETE FROM series_dirty WHERE id <= ?"),
      admitted: db
        .prepare("SELECT start_ms, end_ms FROM request WHERE key_id = ? AND start_ms >= ? AND start_ms < ? AND rejected = 0 AND end_ms > ?")
        .raw(),
      rejected: db.prepare("SELECT start_ms FROM request WHERE key_id = ? AND start_ms >= ? AND start_ms < ? AND rejected = 1").pluck(),
      deleteSeconds: db.prepare("DELETE FROM series_1s WHERE key_id = ? AND sec >= ? AND sec < ?"),
      insertSecond: db.prepare("INSERT INTO series_1s (key_id, sec, max_in_flight, admitted, rejected) VALUES (?, ?, ?, ?, ?)"),
      deleteMinutes: db.prepare("DELETE FROM series_1m WHERE key_id = ? AND minute >= ? AND minute < ?"),
      insertMinute: db.prepare("INSERT INTO series_1m (key_id, minute, max_in_flight, admitted, rejected) VALUES (?, ?, ?, ?, ?)"),
      deleteHours: db.prepare("DELETE FROM series_1h WHERE key_id = ? AND hour >= ? AND hour < ?"),
      rollupHours: db.prepare(
        `INSERT INTO series_1h (key_id, hour, max_in_flight, admitted, rejected)
         SELECT key_id, minute / 3600 * 3600 AS h, MAX(max_in_flight), SUM(admitted), SUM(rejected)
         FROM series_1m WHERE key_id = ? AND minute >= ? AND minute < ? GROUP BY h`,
      ),
    };
    // Totals and rows above a threshold take many keys in one statement: the key ids (or per-key
    // queries) go in as a JSON array, and SQLite seeks the (key, time) primary key once per key; one
    // statement instead of one per key halved a 500-key overview's reads (npm run bench). Buckets
    // stay one statement per key: grouping by key too made one key's 24 h read ~30 % slower.
    const build = ({ table, col }: { table: string; col: string }) => ({
      grouped: db
        .prepare(
          `SELECT (${col} - ?) / ? AS b, MAX(max_in_flight), SUM(admitted), SUM(rejected)
           FROM ${table} WHERE key_id = ? AND ${col} >= ? AND ${col} < ? GROUP BY b`,
        )
        .raw(),
      total: db
        .prepare(
          `SELECT key_id, MAX(max_in_flight), SUM(admitted), SUM(rejected)
           FROM ${table} WHERE key_id IN (SELECT value FROM json_each(?)) AND ${col} >= ? AND ${col} < ? GROUP BY key_id`,
        )
        .raw(),
      above: db
        .prepare(
          `WITH q AS (SELECT key AS ord, value ->> 0 AS key_id, value ->> 1 AS threshold, value ->> 2 AS f, value ->> 3 AS t FROM json_each(?))
           SELECT s.key_id, s.${col}, s.max_in_flight FROM q CROSS JOIN ${table} s
           WHERE s.key_id = q.key_id AND s.${col} >= q.f AND s.${col} < q.t AND s.max_in_flight > q.threshold ORDER BY q.ord, s.${col}`,
        )
        .raw(),
    });
    this.perResolution = { "1s": build(TABLE["1s"]), "1m": build(TABLE["1m"]), "1h": build(TABLE["1h"]) };
  }

  async dirtyMarks(limit: number): Promise<DirtyMark[]> {
    return (this.stmt.dirty.all(limit) as Record<string, number>[]).map((m) => ({
      id: Number(m.id),
      keyId: Number(m.keyId),
      fromMs: Number(m.fromMs),
      toMs: Number(m.toMs),
    }));
  }

  async clearDirty(throughId: number): Promise<void> {
    this.stmt.clearDirty.run(throughId);
  }

  async sweepInput(keyId: number, fromMs: number, toMs: number, lookbackMs: number): Promise<SweepRequests> {
    const longest = longestRequestMs(this.db, keyId);
    const rows = this.stmt.admitted.all(keyId, fromMs - Math.max(lookbackMs, longest), toMs, fromMs) as [number, number][];
    const starts = new Float64Array(rows.length);
    const ends = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      starts[i] = rows[i][0];
      ends[i] = rows[i][1];
    }
    return { starts, ends, rejectedAt: (this.stmt.rejected.all(keyId, fromMs, toMs) as number[]).map(Number) };
  }

  async replace(keyId: number, fromSec: number, toSec: number, seconds: SeriesRow[], minutes: SeriesRow[]): Promise<void> {
    writeTx(this.db, () => {
      this.stmt.deleteSeconds.run(keyId, fromSec, toSec);
      for (const s of seconds) this.stmt.insertSecond.run(keyId, s.sec, s.maxInFlight, s.admitted, s.rejected);
      this.stmt.deleteMinutes.run(keyId, fromSec, toSec);
      for (const m of minutes) this.stmt.insertMinute.run(keyId, m.sec, m.maxInFlight, m.admitted, m.rejected);
      const [fromHour, toHour] = [Math.floor(fromSec / 3600) * 3600, Math.ceil(toSec / 3600) * 3600];
      this.stmt.deleteHours.run(keyId, fromHour, toHour);
      this.stmt.rollupHours.run(keyId, fromHour, toHour);
    });
  }

  async buckets(q: BucketQuery): Promise<KeyBucket[]> {
    const base = Math.floor(q.fromSec / q.bucketSec) * q.bucketSec;
    const stmt = this.perResolution[q.resolution].grouped;
    return q.keyIds.flatMap((keyId) =>
      (stmt.all(BigInt(base), BigInt(q.bucketSec), keyId, q.fromSec, q.toSec) as number[][]).map(([b, m, a, r]) => ({
        keyId,
        t: base + Number(b) * q.bucketSec,
        maxInFlight: Number(m),
        admitted: Number(a),
        rejected: Number(r),
      })),
    );
  }

  async totals(keyIds: number[], resolution: Resolution, ranges: SecRange[]): Promise<RangeTotal[]> {
    const keys = JSON.stringify(keyIds);
    return ranges.flatMap(([fromSec, toSec], range) =>
      (this.perResolution[resolution].total.all(keys, fromSec, toSec) as number[][]).map(([keyId, m, a, r]) => ({
        keyId,
        range,
        maxInFlight: Number(m),
        admitted: Number(a),
        rejected: Number(r),
      })),
    );
  }

  async above(queries: AboveQuery[], resolution: Resolution): Promise<KeySeriesRow[]> {
    const json = JSON.stringify(queries.map((q) => [q.keyId, q.threshold, q.fromSec, q.toSec]));
    return (this.perResolution[resolution].above.all(json) as number[][]).map(([keyId, sec, m]) => ({ keyId, sec: Number(sec), maxInFlight: Number(m) }));
  }
}
