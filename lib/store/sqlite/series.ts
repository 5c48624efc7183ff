import { countsAt, limitedCount } from "../../concurrency/counts";
import type { SeriesRow } from "../../concurrency/downsample";
import { addRejection, noRejections } from "../../series/rejections";
import type { AboveQuery, BucketQuery, DirtyMark, KeyBucket, KeySeriesRow, RangeTotal, Resolution, SecRange, SeriesRepository, SweepRequests } from "../../series/repository";
import { COUNT_COLUMNS, SUM_COUNTS } from "../series-columns";
import { longestRequestMs } from "./longest-request";
import { writeTx, type Sqlite } from "./connection";

const TABLE: Record<Resolution, { table: string; col: string }> = {
  "1s": { table: "series_1s", col: "sec" },
  "1m": { table: "series_1m", col: "minute" },
  "1h": { table: "series_1h", col: "hour" },
};

/**
 * Row inserts of a series table. A row writes the other 429s' columns only when it has any (they
 * default to 0), so a key without them is written as before.
 */
function rowInserts(db: Sqlite, { table, col }: { table: string; col: string }) {
  return {
    plain: db.prepare(`INSERT INTO ${table} (key_id, ${col}, max_in_flight, admitted, rejected) VALUES (?, ?, ?, ?, ?)`),
    limited: db.prepare(`INSERT INTO ${table} (key_id, ${col}, max_in_flight, ${COUNT_COLUMNS.join(", ")}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
  };
}

function insertRows(stmt: ReturnType<typeof rowInserts>, keyId: number, rows: SeriesRow[]): void {
  for (const r of rows) {
    if (limitedCount(r) > 0) stmt.limited.run(keyId, r.sec, r.maxInFlight, r.admitted, r.rejected, r.rejectedRpm, r.rejectedTpm, r.rejectedOther);
    else stmt.plain.run(keyId, r.sec, r.maxInFlight, r.admitted, r.rejected);
  }
}

/**
 * The truth series in SQLite. Both tables are clustered by (key, time) (WITHOUT ROWID), so every
 * read is one contiguous range per key: the queries run per key with prepared statements.
 */
export class SqliteSeriesRepository implements SeriesRepository {
  private readonly stmt;
  private readonly insert;
  private readonly perResolution;

  constructor(private readonly db: Sqlite) {
    this.stmt = {
      dirty: db.prepare("SELECT id, key_id AS keyId, from_ms AS fromMs, to_ms AS toMs FROM series_dirty ORDER BY id LIMIT ?"),
      clearDirty: db.prepare("DELETE FROM series_dirty WHERE id <= ?"),
      // Admitted: neither a concurrency rejection nor any other proxy-side 429 (none held a slot).
      admitted: db
        .prepare(
          "SELECT start_ms, end_ms FROM request WHERE key_id = ? AND start_ms >= ? AND start_ms < ? AND rejected = 0 AND limit_type IS NULL AND end_ms > ?",
        )
        .raw(),
      // Every proxy-side 429 in the range, in the same range scan as when only rejections were read.
      proxy429s: db
        .prepare("SELECT start_ms, rejected, limit_type FROM request WHERE key_id = ? AND start_ms >= ? AND start_ms < ? AND (rejected = 1 OR limit_type IS NOT NULL)")
        .raw(),
      deleteSeconds: db.prepare("DELETE FROM series_1s WHERE key_id = ? AND sec >= ? AND sec < ?"),
      deleteMinutes: db.prepare("DELETE FROM series_1m WHERE key_id = ? AND minute >= ? AND minute < ?"),
      deleteHours: db.prepare("DELETE FROM series_1h WHERE key_id = ? AND hour >= ? AND hour < ?"),
      rollupHours: db.prepare(
        `INSERT INTO series_1h (key_id, hour, max_in_flight, ${COUNT_COLUMNS.join(", ")})
         SELECT key_id, minute / 3600 * 3600 AS h, MAX(max_in_flight), ${SUM_COUNTS}
         FROM series_1m WHERE key_id = ? AND minute >= ? AND minute < ? GROUP BY h`,
      ),
    };
    this.insert = { seconds: rowInserts(db, TABLE["1s"]), minutes: rowInserts(db, TABLE["1m"]) };
    // Totals and rows above a threshold take many keys in one statement: the key ids (or per-key
    // queries) go in as a JSON array, and SQLite seeks the (key, time) primary key once per key; one
    // statement instead of one per key halved a 500-key overview's reads (npm run bench). Buckets
    // stay one statement per key: grouping by key too made one key's 24 h read ~30 % slower.
    const build = ({ table, col }: { table: string; col: string }) => ({
      grouped: db
        .prepare(
          `SELECT (${col} - ?) / ? AS b, MAX(max_in_flight), ${SUM_COUNTS}
           FROM ${table} WHERE key_id = ? AND ${col} >= ? AND ${col} < ? GROUP BY b`,
        )
        .raw(),
      total: db
        .prepare(
          `SELECT key_id, MAX(max_in_flight), ${SUM_COUNTS}
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
    const rejections = noRejections();
    for (const [start, rejected, limitType] of this.stmt.proxy429s.all(keyId, fromMs, toMs) as [number, number, string | null][]) {
      addRejection(rejections, Number(start), rejected === 1, limitType);
    }
    return { starts, ends, ...rejections };
  }

  async replace(keyId: number, fromSec: number, toSec: number, seconds: SeriesRow[], minutes: SeriesRow[]): Promise<void> {
    writeTx(this.db, () => {
      this.stmt.deleteSeconds.run(keyId, fromSec, toSec);
      insertRows(this.insert.seconds, keyId, seconds);
      this.stmt.deleteMinutes.run(keyId, fromSec, toSec);
      insertRows(this.insert.minutes, keyId, minutes);
      const [fromHour, toHour] = [Math.floor(fromSec / 3600) * 3600, Math.ceil(toSec / 3600) * 3600];
      this.stmt.deleteHours.run(keyId, fromHour, toHour);
      this.stmt.rollupHours.run(keyId, fromHour, toHour);
    });
  }

  async buckets(q: BucketQuery): Promise<KeyBucket[]> {
    const base = Math.floor(q.fromSec / q.bucketSec) * q.bucketSec;
    const stmt = this.perResolution[q.resolution].grouped;
    return q.keyIds.flatMap((keyId) =>
      (stmt.all(BigInt(base), BigInt(q.bucketSec), keyId, q.fromSec, q.toSec) as number[][]).map((r) => ({
        keyId,
        t: base + Number(r[0]) * q.bucketSec,
        maxInFlight: Number(r[1]),
        ...countsAt(r, 2),
      })),
    );
  }

  async totals(keyIds: number[], resolution: Resolution, ranges: SecRange[]): Promise<RangeTotal[]> {
    const keys = JSON.stringify(keyIds);
    return ranges.flatMap(([fromSec, toSec], range) =>
      (this.perResolution[resolution].total.all(keys, fromSec, toSec) as number[][]).map((r) => ({
        keyId: r[0],
        range,
        maxInFlight: Number(r[1]),
        ...countsAt(r, 2),
      })),
    );
  }

  async above(queries: AboveQuery[], resolution: Resolution): Promise<KeySeriesRow[]> {
    const json = JSON.stringify(queries.map((q) => [q.keyId, q.threshold, q.fromSec, q.toSec]));
    return (this.perResolution[resolution].above.all(json) as number[][]).map(([keyId, sec, m]) => ({ keyId, sec: Number(sec), maxInFlight: Number(m) }));
  }
}
