import type { CursorState } from "./cursor";
import type { IngestRow } from "./normalize";

export interface CommitResult {
  /** Rows not stored before (the rest were already there: ingest is idempotent by request). */
  inserted: number;
  /** Hashes met in spend logs that the key catalog does not know; stored under a placeholder key. */
  newUnknownKeys: string[];
  /** With `listInserted`: start and end (ms) of each row inserted, so the caller can tell how late it came. */
  insertedSpans?: InsertedSpan[];
}

export interface InsertedSpan {
  startMs: number;
  endMs: number;
}

export interface CommitOptions {
  /** Return the spans of the rows inserted (live polls and the reconcile pass; catch-up does not pay for it). */
  listInserted?: boolean;
}

/** A stored request, as the evidence behind a peak shows it. */
export interface StoredRequest {
  requestId: string;
  startMs: number;
  endMs: number;
  status: string | null;
  model: string;
}

/** The spend-log requests Inflight stores, and where ingest stands. */
export interface IngestRepository {
  readCursor(source: string): Promise<CursorState | null>;
  /**
   * One transaction: the rows (each request once), the series ranges they touch marked for
   * recompute, and the cursor when given. A crash leaves all of it or none.
   */
  commit(source: string, rows: IngestRow[], cursor: CursorState | null, opts?: CommitOptions): Promise<CommitResult>;
  /** How many stored requests (every key) started in [fromMs, toMs], both ends included as the proxy's date filter does. */
  countStarted(fromMs: number, toMs: number): Promise<number>;
  /**
   * Admitted requests of a key that started in [fromMs - lookback, toMs) and were still running at
   * fromMs, oldest first; the lookback is `lookbackMs`, or the key's longest stored request when longer.
   */
  admittedOverlapping(keyId: number, fromMs: number, toMs: number, lookbackMs: number): Promise<StoredRequest[]>;
  /** Each key's longest stored request (ms); keys without one are absent. */
  longestRequests(keyIds: number[]): Promise<Map<number, number>>;
  /** Whether any request started at or after `sinceMs`. */
  anyStartedSince(sinceMs: number): Promise<boolean>;
}
