import type { LimitStep } from "../catalog/limit-steps";

/** A stretch of time in which a key ran more requests at once than its limit. */
export interface Episode {
  fromSec: number;
  /** Exclusive. */
  toSec: number;
  peak: number;
  limit: number;
}

/** The limit in force at each second, from limit steps (null: no limit then). */
export function limitAt(steps: LimitStep[], sec: number): number | null {
  let limit: number | null = null;
  for (const s of steps) {
    if (s.fromMs <= sec * 1000) limit = s.maxParallelRequests;
    else break;
  }
  return limit;
}

/**
 * Episodes above the limit from per-step rows (seconds, or roll-up steps of `stepSec`), merging
 * stretches separated by at most `gapSec` quiet seconds so one burst counts once. Pure.
 */
export function episodesAbove(
  rows: { sec: number; maxInFlight: number }[],
  steps: LimitStep[],
  stepSec = 1,
  gapSec = 5,
): Episode[] {
  const out: Episode[] = [];
  for (const r of rows) {
    const limit = limitAt(steps, r.sec);
    if (limit === null || r.maxInFlight <= limit) continue;
    const last = out[out.length - 1];
    if (last && r.sec - last.toSec <= gapSec) {
      last.toSec = r.sec + stepSec;
      if (r.maxInFlight > last.peak) last.peak = r.maxInFlight;
      if (limit < last.limit) last.limit = limit;
    } else {
      out.push({ fromSec: r.sec, toSec: r.sec + stepSec, peak: r.maxInFlight, limit });
    }
  }
  return out;
}
