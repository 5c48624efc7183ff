// Where spend-log ingest stands and what to read next. Pure.
//
// The proxy lists rows by *start* time, but a row only appears once its request has *ended* and the
// proxy has flushed it (docs/litellm-reference.md §4.3, §9.9). With D the longest request and L the flush lag
// (plus clock skew), a request that started before now - D - L is final. So:
//  - completeBeforeMs (C): every request that started before C is stored;
//  - endWatermarkMs (W): every request that ended before W is stored.
// Catch-up reads settled windows [C, ...] whole, moving C. Live polls read [C, now] newest-ended
// first and stop at W, so a poll costs the rows that ended since the last one (plus the lag), never
// the history; then W = now - L and C = W - D.
// The proxy's date filter takes whole seconds ("%Y-%m-%d %H:%M:%S", both ends included), so a
// window ends on a whole second: a request that started in the part of a second past the end would
// not be read, and a cursor past it would claim what was never stored.

export interface CursorState {
  completeBeforeMs: number;
  endWatermarkMs: number;
}

export interface IngestTiming {
  /** Longest request to expect; a longer one may be missed by the live window. */
  maxRequestMs: number;
  /** How long after its end a row may take to appear (proxy batch write + jitter). */
  flushLagMs: number;
  /** Tolerated difference between the proxy's clock and ours. */
  clockSkewMs: number;
  /** How far back a fresh store starts. */
  backfillMs: number;
}

export interface Window {
  fromMs: number;
  toMs: number;
}

export type Step =
  | { kind: "catch-up"; window: Window; after: CursorState }
  | { kind: "live"; window: Window; stopBeforeEndMs: number; after: CursorState };

/** Live polling starts once the cursor is this close to settled time; before that, catch up in windows. */
export const LIVE_SLACK_MS = 60_000;

export function initialCursor(nowMs: number, t: IngestTiming): CursorState {
  const from = nowMs - t.backfillMs;
  return { completeBeforeMs: from, endWatermarkMs: from };
}

/** Start times before this are final: those requests ended and were flushed. */
export function settledBefore(nowMs: number, t: IngestTiming): number {
  return nowMs - t.maxRequestMs - t.flushLagMs - t.clockSkewMs;
}

/** The whole second at or before ms: where a window read through the proxy's date filter ends. */
const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

export function planStep(c: CursorState, nowMs: number, t: IngestTiming, catchUpChunkMs: number): Step {
  const settled = settledBefore(nowMs, t);
  if (c.completeBeforeMs < settled - LIVE_SLACK_MS) {
    // Past the cursor by at least the smallest chunk (10 s), so whole seconds still move it on.
    const toMs = wholeSecond(Math.min(c.completeBeforeMs + catchUpChunkMs, settled));
    return {
      kind: "catch-up",
      window: { fromMs: c.completeBeforeMs, toMs },
      after: { completeBeforeMs: toMs, endWatermarkMs: Math.max(c.endWatermarkMs, toMs) },
    };
  }
  const toMs = wholeSecond(nowMs + t.clockSkewMs);
  // Never past what the window reads (only with a flush lag and skew under a second).
  const watermark = Math.min(nowMs - t.flushLagMs - t.clockSkewMs, toMs);
  return {
    kind: "live",
    window: { fromMs: c.completeBeforeMs, toMs },
    // Anything that ended before C also started before C, so it is stored too.
    stopBeforeEndMs: Math.max(c.endWatermarkMs, c.completeBeforeMs),
    after: {
      completeBeforeMs: Math.max(c.completeBeforeMs, watermark - t.maxRequestMs),
      endWatermarkMs: Math.max(c.endWatermarkMs, watermark),
    },
  };
}

/** How far behind the proxy the stored data is: rows that ended before now - lag are all in. */
export function lagMs(c: CursorState, nowMs: number): number {
  return Math.max(0, nowMs - Math.max(c.endWatermarkMs, c.completeBeforeMs));
}

/** Next catch-up window size: aim for a handful of pages per window, whatever the traffic. */
export function nextChunkMs(currentMs: number, pagesRead: number): number {
  if (pagesRead > 8) return Math.max(10_000, Math.floor(currentMs / 2));
  if (pagesRead <= 2) return Math.min(3_600_000, currentMs * 2);
  return currentMs;
}
