import type { BeliefPoint, SeriesPoint } from "../../api/keys";

/** Inflight's truth at one instant: the newest bucket the spend logs fully cover. */
export interface TruthNow {
  t: number;
  inFlight: number;
}

/** LiteLLM's belief at its newest sample. */
export interface BeliefNow {
  t: number;
  believed: number;
}

/**
 * The newest bucket that ended by `asOfMs` (where stored truth is complete: now minus the ingest
 * lag), or the newest bucket when `asOfMs` is unknown. Later buckets read low only because
 * requests still running have not reached the spend logs yet. Pure.
 */
export function truthAsOf(points: SeriesPoint[], bucketMs: number, asOfMs: number | null): TruthNow | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i];
    if (asOfMs === null || p.t + bucketMs <= asOfMs) return { t: p.t, inFlight: p.inFlight };
  }
  return null;
}

/** The newest sampled belief, or null when LiteLLM's view was not sampled. Pure. */
export function latestBelief(belief: BeliefPoint[]): BeliefNow | null {
  for (let i = belief.length - 1; i >= 0; i--) {
    const b = belief[i];
    if (b.believed !== null) return { t: b.t, believed: b.believed };
  }
  return null;
}

/**
 * Where stored truth is complete: the last spend-log poll minus the ingest lag (later seconds
 * still miss requests that are running). Null when the pipeline has not said. Pure.
 */
export function completeToMs(lastPollAt: string | null, lagMs: number | null): number | null {
  return lastPollAt === null || lagMs === null ? null : Date.parse(lastPollAt) - lagMs;
}
