import type { LimitStep } from "../catalog/limit-steps";
import { limitAt } from "../violations/episodes";
import type { RuleParams } from "./rules";
import type { Detector } from "./types";

/** A key's stored truth in one second (seconds without a row had nothing in flight and no 429). */
export interface TruthSecond {
  sec: number;
  maxInFlight: number;
  /** 429s for max_parallel_requests only (not rpm, tpm, team or model limits). */
  rejected: number;
}

/** LiteLLM's belief sampled in one second (seconds without a sample are unknown). */
export interface BeliefSecond {
  sec: number;
  /** Most requests LiteLLM counted in flight (gauge slots, or the windowed counter). */
  believed: number | null;
  /** Lowest raw counter (the windowed era's counter can go negative). */
  rawMin: number | null;
}

/** What the detectors read for one key. Everything is in epoch seconds. */
export interface KeyWindow {
  fromSec: number;
  /** The end of what is stored (now): the newest seconds hold only the requests that ended already. */
  toSec: number;
  /**
   * Truth before this is final: every request that ended before the ingest watermark is stored,
   * and a request still running then is not, so for the key's longest request before the
   * watermark the truth may still grow. Stuck and drift, which need the truth to be low, look only
   * before it; exceeded and multiplied, which need it high, look at everything stored (a violation
   * is told as soon as its rows arrive). Whether a condition still holds is judged here: after it,
   * the truth cannot say it stopped.
   */
  settledToSec: number;
  steps: LimitStep[];
  /** Sorted by second. */
  truth: TruthSecond[];
  /** Sorted by second. */
  belief: BeliefSecond[];
  /**
   * Whether LiteLLM keeps shared limiter state for the proxy (limiter keys in its Redis, or a
   * coordination Redis): false means each worker or replica counts alone; null: unknown.
   */
  sharedLimiter: boolean | null;
}

/** A stretch of time a detector's condition held for a key. */
export interface Finding {
  fromSec: number;
  /** Exclusive. */
  toSec: number;
  /** Reaches the end of what the detector can see: the condition may still hold. */
  open: boolean;
  /** Most in flight (exceeded, multiplied), or LiteLLM's count (stuck, drift). */
  peak: number | null;
  /** The lowest max_parallel_requests in force during the stretch. */
  limit: number | null;
  evidence: Record<string, unknown>;
}

/**
 * Seconds where `hit` holds, as runs bridging up to `gapS` seconds without one, each with the rows
 * it covered; a row that is not a hit but `breaks` ends a run (evidence the condition stopped).
 */
function runs<T extends { sec: number }>(rows: T[], hit: (r: T) => boolean, gapS: number, breaks: (r: T) => boolean = () => false) {
  const out: { fromSec: number; toSec: number; rows: T[] }[] = [];
  let broken = true;
  for (const r of rows) {
    if (!hit(r)) {
      if (breaks(r)) broken = true;
      continue;
    }
    const last = out[out.length - 1];
    if (last && !broken && r.sec - last.toSec <= gapS) {
      last.toSec = r.sec + 1;
      last.rows.push(r);
    } else out.push({ fromSec: r.sec, toSec: r.sec + 1, rows: [r] });
    broken = false;
  }
  return out;
}

const max = (xs: (number | null)[]): number | null => xs.reduce<number | null>((m, x) => (x === null ? m : m === null ? x : Math.max(m, x)), null);
const min = (xs: (number | null)[]): number | null => xs.reduce<number | null>((m, x) => (x === null ? m : m === null ? x : Math.min(m, x)), null);

/**
 * Truth above the limit in force at each second (by more than `margin`): contiguous seconds are one
 * stretch. A stretch reaching settled truth is open: requests still running then are not stored
 * yet, so later seconds that look within the limit prove nothing. One that ended before settled
 * truth is over (found only then, it tells of a past episode).
 */
export function detectExceeded(w: KeyWindow, p: RuleParams["exceeded"]): Finding[] {
  const limit = (sec: number) => limitAt(w.steps, sec);
  return runs(w.truth, (r) => r.sec >= w.fromSec && r.sec < w.toSec && limit(r.sec) !== null && r.maxInFlight > limit(r.sec)! + p.margin, 0).map((run) => {
    const peakRow = run.rows.reduce((a, b) => (b.maxInFlight > a.maxInFlight ? b : a));
    return {
      fromSec: run.fromSec,
      toSec: run.toSec,
      open: run.toSec >= w.settledToSec,
      peak: peakRow.maxInFlight,
      limit: min(run.rows.map((r) => limit(r.sec))),
      evidence: { peakSec: peakRow.sec, limitAtPeak: limit(peakRow.sec), secondsOver: run.rows.length },
    };
  });
}

/**
 * Above the limit while LiteLLM keeps no shared limiter state, with the peak near a whole multiple
 * (2× or more) of the limit: each worker or replica admits up to the limit on its own (LiteLLM
 * #13202, #27900).
 */
export function detectMultiplied(w: KeyWindow, p: RuleParams["multiplied"]): Finding[] {
  if (w.sharedLimiter !== false) return [];
  return detectExceeded(w, { margin: 0, minDurationS: 0 }).flatMap((f) => {
    const ratio = f.peak! / f.limit!;
    const multiple = Math.round(ratio);
    if (multiple < 2 || Math.abs(ratio - multiple) > p.tolerance * multiple) return [];
    return [{ ...f, evidence: { ...f.evidence, multiple, ratio: Math.round(ratio * 100) / 100, sharedLimiter: false } }];
  });
}

/**
 * max_parallel_requests 429s while the true in-flight is at most `belowRatio` of the limit
 * (LiteLLM #27955, #34534: slots never released). Only settled truth is read, and stretches bridge
 * quiet seconds (no 429: nobody asked) of up to `gapS`.
 */
export function detectStuck(w: KeyWindow, p: RuleParams["stuck"]): Finding[] {
  const limit = (sec: number) => limitAt(w.steps, sec);
  const low = (r: TruthSecond) => limit(r.sec) !== null && r.maxInFlight <= p.belowRatio * limit(r.sec)!;
  const rows = w.truth.filter((r) => r.sec >= w.fromSec && r.sec < w.settledToSec);
  // A second with more in flight than that breaks a stretch: the limiter admitted enough then.
  return runs(rows, (r) => r.rejected > 0 && low(r), p.gapS, (r) => !low(r)).map((run) => {
    const belief = w.belief.filter((b) => b.sec >= run.fromSec && b.sec < run.toSec);
    return {
      fromSec: run.fromSec,
      toSec: run.toSec,
      open: w.settledToSec - run.toSec <= p.gapS,
      peak: max(belief.map((b) => b.believed)),
      limit: min(run.rows.map((r) => limit(r.sec))),
      evidence: {
        rejected: run.rows.reduce((n, r) => n + r.rejected, 0),
        maxTrueInFlight: max(run.rows.map((r) => r.maxInFlight)) ?? 0,
        believedMax: max(belief.map((b) => b.believed)),
      },
    };
  });
}

/**
 * LiteLLM's own count disagrees with the truth: at least `threshold` more than was really in
 * flight (gauge slots with nothing behind them), or a negative windowed counter. Seconds without
 * a sample are bridged up to `gapS`; only settled truth is compared.
 */
export function detectDrift(w: KeyWindow, p: RuleParams["drift"]): Finding[] {
  const truth = new Map(w.truth.map((r) => [r.sec, r.maxInFlight]));
  const rows = w.belief.filter((b) => b.sec >= w.fromSec && b.sec < w.settledToSec);
  const off = (b: BeliefSecond) => (b.rawMin !== null && b.rawMin < 0) || (b.believed !== null && b.believed - (truth.get(b.sec) ?? 0) >= p.threshold);
  // A sample that agrees with the truth ends a stretch.
  return runs(rows, off, p.gapS, () => true).map((run) => ({
    fromSec: run.fromSec,
    toSec: run.toSec,
    open: w.settledToSec - run.toSec <= p.gapS,
    peak: max(run.rows.map((b) => b.believed)),
    limit: min(run.rows.map((b) => limitAt(w.steps, b.sec))),
    evidence: {
      believedMax: max(run.rows.map((b) => b.believed)),
      rawMin: min(run.rows.map((b) => b.rawMin)),
      trueInFlightMax: max(run.rows.map((b) => truth.get(b.sec) ?? 0)),
      samples: run.rows.length,
    },
  }));
}

export const DETECT: { [D in Detector]: (w: KeyWindow, p: RuleParams[D]) => Finding[] } = {
  exceeded: detectExceeded,
  stuck: detectStuck,
  multiplied: detectMultiplied,
  drift: detectDrift,
};
