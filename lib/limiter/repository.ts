import type { LimiterEra } from "./reader";

/** What LiteLLM's limiter state said about one key at one instant (belief, never truth). */
export interface StoredSample {
  keyId: number;
  atMs: number;
  era: LimiterEra;
  believedInFlight: number | null;
  rawCounter: number | null;
  windowStartS: number | null;
  requests: number | null;
  tokens: number | null;
}

/** A key's newest sample. */
export interface LatestBelief {
  atMs: number;
  believed: number | null;
  rawCounter: number | null;
}

export interface BeliefBucket {
  /** Bucket start, epoch s. */
  t: number;
  /** Most LiteLLM believed in flight during the bucket. */
  believed: number | null;
  /** Extremes of the raw counter (windowed: can go negative or above the limit). */
  rawMin: number | null;
  rawMax: number | null;
  era: string;
}

/** The short history of LiteLLM's belief, sampled from its Redis. */
export interface LimiterSampleRepository {
  /** Stores samples; a second sample of a key at the same instant replaces the first. */
  insert(samples: StoredSample[]): Promise<void>;
  /** Each key's newest sample taken at or after `sinceMs` (keys without one are absent). */
  latest(keyIds: number[], sinceMs: number): Promise<Map<number, LatestBelief>>;
  /** Belief per epoch-aligned bucket of `bucketSec` over [fromSec, toSec); buckets without samples are absent. */
  buckets(keyId: number, fromSec: number, toSec: number, bucketSec: number): Promise<BeliefBucket[]>;
}
