import { limitStepsByKey, lowestLimits, type LimitStep } from "../catalog/limit-steps";
import type { KeyRef } from "../catalog/repository";
import { addCounts, limitedCount } from "../concurrency/counts";
import { SPEND_LOG_SOURCE } from "../ingest/ingest";
import { RESOLUTION_SEC, type RangeTotal, type Resolution, type SecRange, type SeriesRepository } from "../series/repository";
import type { Store } from "../store/store";
import { episodesAbove, limitAt } from "../violations/episodes";
import { keyStatus, severity, type KeyStatus } from "./status";

/** "Now" for a key's status: the last few minutes of stored truth, up to the newest stored second. */
export const RECENT_WINDOW_S = 300;
/** LiteLLM's belief is sampled every second; a sample older than this is not "now" (sampling stopped). */
export const BELIEF_FRESH_MS = 300_000;
const END = Number.MAX_SAFE_INTEGER;

/** How a key stands over a range, against the limit in force at each second. One module computes it for every page. */
export interface KeyState {
  status: KeyStatus;
  /** Sort key, worst first. */
  severity: number;
  /** The max_parallel_requests in force now (null: none). */
  limitNow: number | null;
  /** Most requests in flight in the range, and the requests in it. */
  peak: number;
  admitted: number;
  rejected: number;
  /** The highest in-flight / limit-in-force of the range (null without any limit). */
  peakRatio: number | null;
  /** Stretches above the limit in force (quiet gaps of up to 5 s bridged), and the seconds above it. */
  violations: number;
  secondsOver: number;
  /** Truth: most in flight in the last complete second before the ingest watermark. */
  inFlightNow: number;
  /** LiteLLM's latest sampled belief (null when not visible). */
  believedNow: number | null;
}

export interface KeyStates {
  /** Every request that ended before this is stored; null before the first poll. */
  watermarkMs: number | null;
  states: Map<number, KeyState>;
}

type Reader = Pick<Store, "catalog" | "series" | "samples" | "ingest">;

/** Ranges up to this long find violations second by second; longer ones minute by minute. */
export const FINE_RANGE_S = 3600;

/**
 * The state of each key over [fromMs, toMs). A fixed number of store reads whatever the number of
 * keys: totals over the range's whole minutes (the hour and minute roll-ups), and the time above a
 * limit found top down (hours above it, then their minutes, then their seconds), so a key within
 * its limit costs a few rows however long the range.
 */
export async function readKeyStates(store: Reader, keys: KeyRef[], fromMs: number, toMs: number, nowMs = Date.now()): Promise<KeyStates> {
  const ids = keys.map((k) => k.id);
  const cursor = await store.ingest.readCursor(SPEND_LOG_SOURCE);
  const watermarkMs = cursor ? Math.max(cursor.completeBeforeMs, cursor.endWatermarkMs) : null;
  const fromSec = Math.floor(fromMs / 1000);
  const toSec = Math.ceil(toMs / 1000);
  const wSec = watermarkMs === null ? null : Math.floor(watermarkMs / 1000);
  const recentFromSec = wSec === null ? END : wSec - RECENT_WINDOW_S;
  const lookFromSec = Math.min(fromSec, recentFromSec);

  // The range and the recent window widened to whole minutes (the roll-ups answer them; reading
  // their ragged edges second by second cost 500 index probes each on Postgres), and the last
  // complete second before the watermark.
  const minutes = (a: number, b: number): SecRange => [Math.floor(a / 60) * 60, Math.ceil(b / 60) * 60];
  const windows: SecRange[] = wSec === null ? [minutes(fromSec, toSec)] : [minutes(fromSec, toSec), minutes(recentFromSec, END), [wSec - 1, wSec]];
  const [changes, [range, recent, last], beliefs] = await Promise.all([
    store.catalog.limitChanges(ids, END),
    exactTotals(store.series, ids, windows),
    store.samples.latest(ids, nowMs - BELIEF_FRESH_MS),
  ]);
  const steps = limitStepsByKey(ids, changes, lookFromSec * 1000, END);
  const thresholds = lowestLimits(steps);
  // Violations in a long range are counted by the minute (a minute whose peak is above the limit
  // in force at its start); "now" (the recent window) always by the second.
  const rangeStep: Resolution = toSec - fromSec <= FINE_RANGE_S ? "1s" : "1m";
  const [overRange, overRecent] = await Promise.all([
    rowsAbove(store.series, thresholds, fromSec, toSec, rangeStep),
    wSec === null ? new Map<number, Over[]>() : rowsAbove(store.series, thresholds, recentFromSec, END, "1s"),
  ]);
  const [rangeBy, recentBy, lastBy] = [range, recent, last].map((w) => w ?? new Map<number, Total>());

  const states = new Map<number, KeyState>();
  for (const k of keys) {
    const s = steps.get(k.id)!;
    const limitNow = s.length ? s[s.length - 1].maxParallelRequests : k.maxParallelRequests;
    const isOver = (r: Over) => r.maxInFlight > (limitAt(s, r.sec) ?? Infinity);
    const inRange = (overRange.get(k.id) ?? []).filter(isOver);
    const stepSec = rangeStep === "1s" ? 1 : 60;
    const episodes = episodesAbove(inRange, s, stepSec, 5 * stepSec);
    const t = rangeBy.get(k.id);
    const r = recentBy.get(k.id);
    const believedNow = beliefs.get(k.id)?.believed ?? null;
    const peak = t?.maxInFlight ?? 0;
    const status = keyStatus({
      limitNow,
      admitted: t?.admitted ?? 0,
      rejected: t?.rejected ?? 0,
      limited: t ? limitedCount(t) : 0,
      exceededInRange: inRange.length > 0,
      exceededRecently: (overRecent.get(k.id) ?? []).some(isOver),
      recentPeak: r?.maxInFlight ?? 0,
      recentRejected: r?.rejected ?? 0,
      believed: believedNow,
    });
    const peakRatio = ratio(peak, inRange, s, limitNow);
    states.set(k.id, {
      status,
      severity: severity(status, peakRatio),
      limitNow,
      peak,
      admitted: t?.admitted ?? 0,
      rejected: t?.rejected ?? 0,
      peakRatio,
      violations: episodes.length,
      secondsOver: inRange.length * stepSec,
      inFlightNow: lastBy.get(k.id)?.maxInFlight ?? 0,
      believedNow,
    });
  }
  return { watermarkMs, states };
}

type Total = Omit<RangeTotal, "range" | "keyId">;

/**
 * Per window and key, totals exact to the second: whole hours and minutes from the roll-ups, any
 * ragged edges from seconds. One read per resolution for all the windows together.
 */
async function exactTotals(series: SeriesRepository, ids: number[], windows: SecRange[]): Promise<Map<number, Total>[]> {
  // Each window's pieces, by resolution; `owner` maps a piece back to its window.
  const pieces: Record<Resolution, { ranges: SecRange[]; owner: number[] }> = { "1s": { ranges: [], owner: [] }, "1m": { ranges: [], owner: [] }, "1h": { ranges: [], owner: [] } };
  windows.forEach(([fromSec, toSec], w) => {
    const add = (res: Resolution, a: number, b: number) => {
      if (a >= b) return;
      pieces[res].ranges.push([a, b]);
      pieces[res].owner.push(w);
    };
    const split = (lo: number, hi: number, res: Resolution, finer: (a: number, b: number) => void) => {
      const step = RESOLUTION_SEC[res];
      const first = Math.ceil(lo / step) * step;
      const last = Math.floor(hi / step) * step;
      if (first >= last) return finer(lo, hi);
      finer(lo, first);
      add(res, first, last);
      finer(last, hi);
    };
    split(fromSec, toSec, "1h", (a, b) => split(a, b, "1m", (c, d) => add("1s", c, d)));
  });
  const out = windows.map(() => new Map<number, Total>());
  const reads = (Object.keys(pieces) as Resolution[]).filter((res) => pieces[res].ranges.length);
  const results = await Promise.all(reads.map((res) => series.totals(ids, res, pieces[res].ranges)));
  reads.forEach((res, i) => {
    for (const t of results[i]) {
      const merged = out[pieces[res].owner[t.range]];
      const { keyId, range: _range, ...total } = t;
      const m = merged.get(keyId);
      if (!m) merged.set(keyId, total);
      else {
        m.maxInFlight = Math.max(m.maxInFlight, t.maxInFlight);
        addCounts(m, t);
      }
    }
  });
  return out;
}

type Over = { sec: number; maxInFlight: number };

/**
 * Rows of `resolution` in [fromSec, toSec) with more in flight than the lowest limit each key had
 * there (the caller compares each with the limit in force then). Top down: hours above it, then
 * the minutes of those hours, then (for seconds) the seconds of those minutes; each level reads
 * only where the level above was over, since a roll-up row keeps its period's peak.
 */
async function rowsAbove(
  series: SeriesRepository,
  thresholds: Map<number, number>,
  fromSec: number,
  toSec: number,
  resolution: "1s" | "1m",
): Promise<Map<number, Over[]>> {
  const levels: Resolution[] = resolution === "1s" ? ["1h", "1m", "1s"] : ["1h", "1m"];
  let spans: [number, number, number][] = [...thresholds.keys()].map((keyId) => [keyId, fromSec, toSec]);
  let rows: { keyId: number; sec: number; maxInFlight: number }[] = [];
  for (const level of levels) {
    const step = RESOLUTION_SEC[level];
    // A roll-up row starting before fromSec still covers it: read from the period it starts in.
    const lo = (a: number) => Math.max(Math.floor(a / step) * step, Math.floor(fromSec / step) * step);
    rows = await series.above(
      spans.map(([keyId, a, b]) => ({ keyId, threshold: thresholds.get(keyId)!, fromSec: lo(a), toSec: Math.min(b, toSec) })),
      level,
    );
    // The next level reads each run of consecutive rows above the threshold, per key.
    spans = [];
    for (const r of rows) {
      const last = spans[spans.length - 1];
      if (last && last[0] === r.keyId && last[2] === r.sec) last[2] = r.sec + step;
      else spans.push([r.keyId, r.sec, r.sec + step]);
    }
  }
  const out = new Map<number, Over[]>();
  for (const r of rows) {
    if (r.sec < Math.floor(fromSec / 60) * 60) continue;
    const list = out.get(r.keyId) ?? [];
    list.push({ sec: r.sec, maxInFlight: r.maxInFlight });
    out.set(r.keyId, list);
  }
  return out;
}

/** The highest in-flight / limit-in-force: exact over the seconds above the lowest limit, else peak / the limit now. */
function ratio(peak: number, over: { sec: number; maxInFlight: number }[], steps: LimitStep[], limitNow: number | null): number | null {
  let best: number | null = null;
  for (const r of over) {
    const limit = limitAt(steps, r.sec);
    if (limit) best = Math.max(best ?? 0, r.maxInFlight / limit);
  }
  if (best !== null) return best;
  const fallback = limitNow ?? [...steps].reverse().find((s) => s.maxParallelRequests !== null)?.maxParallelRequests ?? null;
  return fallback ? peak / fallback : null;
}
