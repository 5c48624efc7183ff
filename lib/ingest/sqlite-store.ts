import type { Sqlite } from "../store/sqlite";
import { sqlDate, writeTx } from "../store/sqlite";
import type { CursorState } from "./cursor";
import type { IngestRow } from "./normalize";
import type { CommitResult, IngestStore } from "./store";

/** IngestStore on SQLite through one better-sqlite3 connection with prepared statements. */
export class SqliteIngestStore implements IngestStore {
  private readonly keyIds = new Map<string, number>();
  private readonly stmt;

  constructor(private readonly db: Sqlite) {
    this.stmt = {
      insertRequest: db.prepare(
        "INSERT OR IGNORE INTO request (key_id, start_ms, request_id, end_ms, status, rejected, model) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      keyId: db.prepare("SELECT id FROM key WHERE hash = ?").pluck(),
      insertUnknownKey: db.prepare("INSERT INTO key (hash, in_catalog, blocked, first_seen_at) VALUES (?, 0, 0, ?) RETURNING id").pluck(),
      dirty: db.prepare("INSERT INTO series_dirty (key_id, from_ms, to_ms) VALUES (?, ?, ?)"),
      readCursor: db.prepare("SELECT complete_before_ms AS c, end_watermark_ms AS w FROM ingest_cursor WHERE source = ?"),
      writeCursor: db.prepare(
        `INSERT INTO ingest_cursor (source, complete_before_ms, end_watermark_ms, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (source) DO UPDATE SET complete_before_ms = excluded.complete_before_ms,
           end_watermark_ms = excluded.end_watermark_ms, updated_at = excluded.updated_at`,
      ),
    };
  }

  readCursor(source: string): CursorState | null {
    const row = this.stmt.readCursor.get(source) as { c: number; w: number } | undefined;
    return row ? { completeBeforeMs: Number(row.c), endWatermarkMs: Number(row.w) } : null;
  }

  commit(source: string, rows: IngestRow[], cursor: CursorState | null): CommitResult {
    return writeTx(this.db, () => {
      const newUnknownKeys: string[] = [];
      // Per key: the time span its new rows cover, to recompute the series there.
      const spans = new Map<number, [number, number]>();
      let inserted = 0;
      for (const r of rows) {
        let keyId = this.keyIds.get(r.keyHash);
        if (keyId === undefined) {
          keyId = this.stmt.keyId.get(r.keyHash) as number | undefined;
          if (keyId === undefined) {
            keyId = this.stmt.insertUnknownKey.get(r.keyHash, sqlDate()) as number;
            newUnknownKeys.push(r.keyHash);
          }
          this.keyIds.set(r.keyHash, keyId);
        }
        const res = this.stmt.insertRequest.run(keyId, r.startMs, r.requestId, r.endMs, r.status, r.rejected ? 1 : 0, r.model);
        if (res.changes === 0) continue;
        inserted++;
        const span = spans.get(keyId);
        if (!span) spans.set(keyId, [r.startMs, r.endMs]);
        else {
          if (r.startMs < span[0]) span[0] = r.startMs;
          if (r.endMs > span[1]) span[1] = r.endMs;
        }
      }
      for (const [keyId, [from, to]] of spans) this.stmt.dirty.run(keyId, from, to);
      if (cursor) this.stmt.writeCursor.run(source, cursor.completeBeforeMs, cursor.endWatermarkMs, sqlDate());
      return { inserted, newUnknownKeys };
    });
  }

  /** Forget cached key ids (after keys were deleted from the store). */
  forgetKeys(): void {
    this.keyIds.clear();
  }
}
