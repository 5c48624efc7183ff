import type { CursorState } from "./cursor";
import type { InsertedSpan } from "./repository";

/** Rows stored after the cursor had said they were in, and the longest time from a request's end to its row being stored. */
export interface LateRows {
  rows: number;
  maxDelayMs: number;
}

/**
 * Which of the rows just stored came late: the cursor already claimed them (they started before
 * its complete-before, or ended before its end watermark), so a live poll would have passed them by.
 */
export function lateRows(inserted: readonly InsertedSpan[], claimed: CursorState, seenAtMs: number): LateRows {
  const late: LateRows = { rows: 0, maxDelayMs: 0 };
  for (const r of inserted) {
    if (r.startMs >= claimed.completeBeforeMs && r.endMs >= claimed.endWatermarkMs) continue;
    late.rows++;
    late.maxDelayMs = Math.max(late.maxDelayMs, seenAtMs - r.endMs);
  }
  return late;
}

/** Two counts of late rows as one. */
export function addLate(a: LateRows, b: LateRows): LateRows {
  return { rows: a.rows + b.rows, maxDelayMs: Math.max(a.maxDelayMs, b.maxDelayMs) };
}
