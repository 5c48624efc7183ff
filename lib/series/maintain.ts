import { rollupMinutes, sparseRows } from "../concurrency/downsample";
import { sweepSeconds } from "../concurrency/sweep";
import { writeTx, type Sqlite } from "../store/sqlite";
import { mergeRanges, minuteAligned, type KeyRange } from "./ranges";

const PIECE_SEC = 3600;

export interface SeriesChange {
  keyId: number;
  fromSec: number;
  toSec: number;
}

export interface MaintainReport {
  changes: SeriesChange[];
  requestsSwept: number;
  secondsWritten: number;
}

/**
 * Keeps the per-second series (and its minute roll-up) equal to a sweep over the stored requests.
 * Ingest marks the ranges its new rows touch (series_dirty, same transaction as the rows); this
 * recomputes those ranges whole and clears the marks in one transaction, so late rows always
 * update the series they fall in, and a crash leaves the marks for the next run.
 */
export class SeriesMaintainer {
  private readonly stmt;

  constructor(
    private readonly db: Sqlite,
    /** Requests may have started this long before a range and still be in flight in it. */
    private readonly maxRequestMs: number,
  ) {
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
    };
  }

  /** Recomputes up to `batch` dirty marks; call again while it reports changes. */
  run(batch = 10_000): MaintainReport {
    const marks = this.stmt.dirty.all(batch) as (KeyRange & { id: number })[];
    const report: MaintainReport = { changes: [], requestsSwept: 0, secondsWritten: 0 };
    if (marks.length === 0) return report;
    const maxId = marks[marks.length - 1].id;
    const ranges = mergeRanges(
      marks.map((m) => ({ keyId: m.keyId, fromMs: Number(m.fromMs), toMs: Number(m.toMs) })),
      60_000,
    );
    writeTx(this.db, () => {
      for (const r of ranges) {
        const { fromSec, toSec } = minuteAligned(r.fromMs, r.toMs);
        // Hour pieces keep the requests held in memory bounded whatever the backlog.
        for (let from = fromSec; from < toSec; from += PIECE_SEC) {
          report.changes.push(this.recompute(r.keyId, from, Math.min(toSec, from + PIECE_SEC), report));
        }
      }
      this.stmt.clearDirty.run(maxId);
    });
    return report;
  }

  private recompute(keyId: number, fromSec: number, toSec: number, report: MaintainReport): SeriesChange {
    const fromMs = fromSec * 1000;
    const toMs = toSec * 1000;
    const rows = this.stmt.admitted.all(keyId, fromMs - this.maxRequestMs, toMs, fromMs) as [number, number][];
    const starts = new Float64Array(rows.length);
    const ends = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      starts[i] = rows[i][0];
      ends[i] = rows[i][1];
    }
    const rejectedAt = this.stmt.rejected.all(keyId, fromMs, toMs) as number[];
    const series = sweepSeconds({ starts, ends, rejectedAt, fromSec, toSec });
    report.requestsSwept += rows.length + rejectedAt.length;

    this.stmt.deleteSeconds.run(keyId, fromSec, toSec);
    for (const s of sparseRows(series)) {
      this.stmt.insertSecond.run(keyId, s.sec, s.maxInFlight, s.admitted, s.rejected);
      report.secondsWritten++;
    }
    this.stmt.deleteMinutes.run(keyId, fromSec, toSec);
    for (const m of rollupMinutes(series)) this.stmt.insertMinute.run(keyId, m.sec, m.maxInFlight, m.admitted, m.rejected);
    return { keyId, fromSec, toSec };
  }
}
