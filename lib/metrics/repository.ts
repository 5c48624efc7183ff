import type { RequestCounts } from "../concurrency/counts";

/**
 * A key's monotonic counters, as /metrics exports them: its requests (admitted; 429s for
 * max_parallel_requests in `rejected`, the other 429s by kind) and its seconds above the limit.
 */
export interface KeyCounters extends RequestCounts {
  violationSeconds: number;
}

/** One second of a key above its limit. */
export interface ViolationSecond {
  keyId: number;
  sec: number;
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
  /**
   * Counts seconds above a key's limit, each (key, second) once however often it is offered (a
   * recount after late rows offers seconds again): adds the new ones to the keys' counters and, when
   * `throughSec` is given, moves the cursor there, in one transaction. Answers the new ones per key.
   */
  countViolationSeconds(seconds: ViolationSecond[], throughSec: number | null): Promise<Map<number, number>>;
  /** Forgets the counted seconds before `sec` (no late row can change them any more); how many went. */
  pruneViolationSecondsBefore(sec: number): Promise<number>;
}
