import type { CursorState } from "./cursor";
import type { IngestRow } from "./normalize";
import type { IngestRepository, InsertedSpan } from "./repository";

/** The spend-log source's name in the store (its cursor row). */
export const SPEND_LOG_SOURCE = "spend-logs";

export interface IngestLogger {
  warn(msg: string): void;
}

/** What storing pages added up to over a step. */
export interface StoreTally {
  inserted: number;
  newUnknownKeys: string[];
}

/**
 * Stores a page of rows (and the cursor when given) in one transaction; with `listInserted`,
 * returns the spans of the rows that were new. Keys the proxy's key list lacks are stored under
 * placeholder keys, and said so.
 */
export async function storePage(
  store: IngestRepository,
  rows: IngestRow[],
  cursor: CursorState | null,
  tally: StoreTally,
  log: IngestLogger,
  listInserted: boolean,
): Promise<InsertedSpan[]> {
  const res = await store.commit(SPEND_LOG_SOURCE, rows, cursor, { listInserted });
  tally.inserted += res.inserted;
  if (res.newUnknownKeys.length) {
    tally.newUnknownKeys.push(...res.newUnknownKeys);
    log.warn(`[ingest] spend logs name ${res.newUnknownKeys.length} key(s) the proxy's key list lacks; stored under placeholder keys`);
  }
  return res.insertedSpans ?? [];
}
