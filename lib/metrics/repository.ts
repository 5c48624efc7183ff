import type { RequestCounts } from "../concurrency/counts";

/**
 * A key's monotonic counters, as /metrics exports them: its requests (admitted; 429s for
 * max_parallel_requests in `rejected`, the other 429s by kind) and its seconds above the limit.
 */
export interface KeyCounters extends RequestCounts {
  violationSeconds: number;
}

/**
 * The counters behind /metrics' `_total` series: they only grow and outlive retention. Ingest
 * counts requests as it stores them (in its own transaction); violation seconds are added here.
 */
export interface MetricsRepository {
  /** Each key's counters (keys never counted are absent). */
  counters(keyIds: number[]): Promise<Map<number, KeyCounters>>;
  /** Every second before this has been counted for violations; null before the first count. */
  violationsCountedThrough(): Promise<number | null>;
  /** Adds each key's newly counted seconds above its limit and moves the cursor, in one transaction. */
  addViolationSeconds(perKey: Map<number, number>, throughSec: number): Promise<void>;
}
