import type { CursorState } from "./cursor";
import type { IngestRow } from "./normalize";

export interface CommitResult {
  /** Rows not stored before (the rest were already there: ingest is idempotent by request). */
  inserted: number;
  /** Hashes met in spend logs that the key catalog does not know; stored under a placeholder key. */
  newUnknownKeys: string[];
}

/** Where ingest writes. One commit is one transaction: rows, the series to recompute, the cursor. */
export interface IngestStore {
  readCursor(source: string): CursorState | null;
  commit(source: string, rows: IngestRow[], cursor: CursorState | null): CommitResult;
}
