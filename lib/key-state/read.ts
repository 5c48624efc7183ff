import { limitStepsByKey, type LimitStep } from "../catalog/limit-steps";
import type { KeyRef } from "../catalog/repository";
import { SPEND_LOG_SOURCE } from "../ingest/ingest";
import type { KeyBucket, SeriesRepository } from "../series/repository";
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

/**
 * The state of each key over [fromMs, toMs). A fixed number of store reads whatever the number of
 * keys: totals exact to the second (minute roll-up inside, seconds at the ragged edges), and the
 * seconds above a limit found through the minutes above it.
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

  const [changes, range, recent, last, beliefs] = await Promise.all([
    store.catalog.limitChanges(ids, END),
    exactTotals(store.series, ids, fromSec, toSec),
    wSec === null ? [] : store.series.totals(ids, "1s", recentFromSec, END),
    wSec === null ? [] : store.series.totals(ids, "1s", wSec - 1, wSec),
    store.samples.latest(ids, nowMs - BELIEF_FRESH_MS),
  ]);
  const steps = limitStepsByKey(ids, changes, lookFromSec * 1000, END);
  const over = await secondsAbove(store.series, keys, steps, lookFromSec, END);
  const rangeBy = byKey(range);
  const recentBy = byKey(recent);
  const lastBy = byKey(last);

  const states = new Map<number, KeyState>();
  for (const k of keys) {
    const s = steps.get(k.id)!;
    const limitNow = s.length ? s[s.length - 1].maxParallelRequests : k.maxParallelRequests;
    const overRows = (over.get(k.id) ?? []).filter((r) => r.maxInFlight > (limitAt(s, r.sec) ?? Infinity));
    const inRange = overRows.filter((r) => r.sec >= fromSec && r.sec < toSec);
    const episodes = episodesAbove(inRange, s);
    const t = rangeBy.get(k.id);
    const r = recentBy.get(k.id);
    const believedNow = beliefs.get(k.id)?.believed ?? null;
    const peak = t?.maxInFlight ?? 0;
    const status = keyStatus({
      limitNow,
      admitted: t?.admitted ?? 0,
      rejected: t?.rejected ?? 0,
      exceededInRange: inRange.length > 0,
      exceededRecently: overRows.some((row) => row.sec >= recentFromSec),
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
      secondsOver: inRange.length,
      inFlightNow: lastBy.get(k.id)?.maxInFlight ?? 0,
      believedNow,
    });
  }
  return { watermarkMs, states };
}

/** Per key over [fromSec, toSec), exact to the second: whole minutes from the roll-up, the ragged edges from seconds. */
async function exactTotals(series: SeriesRepository, ids: number[], fromSec: number, toSec: number): Promise<KeyBucket[]> {
  const firstMinute = Math.ceil(fromSec / 60) * 60;
  const lastMinute = Math.floor(toSec / 60) * 60;
  if (firstMinute >= lastMinute) return series.totals(ids, "1s", fromSec, toSec);
  const parts = await Promise.all([
    fromSec < firstMinute ? series.totals(ids, "1s", fromSec, firstMinute) : [],
    series.totals(ids, "1m", firstMinute, lastMinute),
    lastMinute < toSec ? series.totals(ids, "1s", lastMinute, toSec) : [],
  ]);
  const merged = new Map<number, KeyBucket>();
  for (const b of parts.flat()) {
    const m = merged.get(b.keyId);
    if (!m) merged.set(b.keyId, { ...b });
    else {
      m.maxInFlight = Math.max(m.maxInFlight, b.maxInFlight);
      m.admitted += b.admitted;
      m.rejected += b.rejected;
    }
  }
  return [...merged.values()];
}

/**
 * Seconds in [fromSec, toSec) with more in flight than the lowest limit each key had there (the
 * caller compares each with the limit in force then). Minutes above it first (the roll-up keeps
 * each minute's peak), then seconds only where a minute was: a key within its limit costs one
 * short read.
 */
async function secondsAbove(
  series: SeriesRepository,
  keys: KeyRef[],
  steps: Map<number, LimitStep[]>,
  fromSec: number,
  toSec: number,
): Promise<Map<number, { sec: number; maxInFlight: number }[]>> {
  const thresholds = new Map<number, number>();
  for (const k of keys) {
    const limits = steps.get(k.id)!.map((s) => s.maxParallelRequests).filter((l): l is number => l !== null);
    if (limits.length) thresholds.set(k.id, Math.min(...limits));
  }
  const out = new Map<number, { sec: number; maxInFlight: number }[]>();
  if (thresholds.size === 0) return out;
  const minuteFrom = Math.floor(fromSec / 60) * 60;
  const minutes = await series.above([...thresholds].map(([keyId, threshold]) => ({ keyId, threshold, fromSec: minuteFrom, toSec })), "1m");
  const spans = new Map<number, [number, number]>();
  for (const m of minutes) {
    const span = spans.get(m.keyId);
    if (!span) spans.set(m.keyId, [m.sec, m.sec + 60]);
    else span[1] = m.sec + 60;
  }
  const seconds = await series.above(
    [...spans].map(([keyId, [from, to]]) => ({ keyId, threshold: thresholds.get(keyId)!, fromSec: Math.max(from, fromSec), toSec: Math.min(to, toSec) })),
    "1s",
  );
  for (const r of seconds) {
    const rows = out.get(r.keyId) ?? [];
    rows.push({ sec: r.sec, maxInFlight: r.maxInFlight });
    out.set(r.keyId, rows);
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

function byKey(rows: KeyBucket[]): Map<number, KeyBucket> {
  return new Map(rows.map((r) => [r.keyId, r]));
}
