import type { KeySeries } from "../../api/keys";
import type { LimitStep } from "../../catalog/limit-steps";
import { episodesAbove, limitAt } from "../../violations/episodes";
import { REJECTION_KINDS, total429s, type RejectionKind } from "./rejection-kinds";

/** One bucket as the concurrency chart draws it. */
export interface ChartRow {
  /** Bucket start, epoch ms. */
  t: number;
  /** Inflight's truth: most requests in flight at any instant of the bucket. */
  inFlight: number;
  /** LiteLLM's belief: most it believed in flight during the bucket; null when not sampled. */
  believed: number | null;
  /** max_parallel_requests in force at the bucket start; null when none. */
  limit: number | null;
  /**
   * [limit, inFlight] where truth is above the limit, so a range area fills exactly the excess;
   * the row after a run gets [limit, limit] so a step shape closes at the run's end. Else null.
   */
  excess: [number, number] | null;
  admitted: number;
  /** 429s for max_parallel_requests (concurrency rejections). */
  rejected: number;
  /** The proxy's other 429s: the key's rpm and tpm limits, and every other limit. */
  rejectedRpm: number;
  rejectedTpm: number;
  rejectedOther: number;
  /** The bucket reaches into the provisional window (late spend-log rows may still change it). */
  provisional: boolean;
  /**
   * The tracker's live truth for a provisional bucket, from the first live bucket to the newest (a
   * bucket between without one had nothing in flight); null elsewhere: spend logs settled it, or
   * the tracker did not see it.
   */
  live: number | null;
}

export interface ChartEpisode {
  fromMs: number;
  /** Exclusive. */
  toMs: number;
  peak: number;
  limit: number;
}

export interface ConcurrencyModel {
  fromMs: number;
  toMs: number;
  bucketMs: number;
  rows: ChartRow[];
  /** Runs of adjacent buckets above the limit (not merged across quiet buckets: the chart shades what it shows). */
  episodes: ChartEpisode[];
  /** Total time of the episodes. */
  aboveLimitMs: number;
  /** Where each limit step starts inside the range, for labels on the stepped limit line. */
  limitChanges: { t: number; limit: number | null }[];
  /** The highest truth bucket (the earliest on ties); null when nothing was in flight. */
  peak: { t: number; inFlight: number } | null;
  /** Start of the provisional window clamped into the range; null when the range has none of it. */
  provisionalFromMs: number | null;
  hasTraffic: boolean;
  hasBelief: boolean;
  /** Live truth is drawn at the newest edge (a tracker callback is mounted). */
  hasLive: boolean;
  /** The kinds of 429 the range holds (none: an empty list), in stacking order: only these are drawn and named. */
  rejections: RejectionKind[];
  /** Most 429s of any kind in one bucket, for the 429 axis. */
  max429: number;
  /** Top of the in-flight axis: above the peak, the belief and the limit, with headroom. */
  yMax: number;
}

/**
 * The API clamps the first limit step to the range start, but it also stands for the time before
 * (see `KeyQueries.limitSteps`); epoch-aligned buckets can start before the range, so open it.
 */
function openFirstStep(steps: LimitStep[]): LimitStep[] {
  return steps.map((s, i) => (i === 0 ? { ...s, fromMs: Number.MIN_SAFE_INTEGER } : s));
}

/** Shapes a key's series for the chart: per-bucket limit, belief and excess, shaded episodes, peak. Pure. */
export function concurrencyModel(series: KeySeries): ConcurrencyModel {
  const { fromMs, toMs, bucketMs, points } = series;
  const steps = openFirstStep(series.limits);
  const believedAt = new Map(series.belief.map((b) => [b.t, b.believed]));
  const liveAt = new Map(series.live.map((b) => [b.t, b.inFlight]));
  // Live truth is known from its first bucket to its newest (before: the tracker was not running, or nothing ran).
  const liveFromMs = series.live.length ? Math.min(...series.live.map((b) => b.t)) : null;
  const liveToMs = series.live.length ? Math.max(...series.live.map((b) => b.t)) : null;
  const provisionalFromMs =
    series.provisionalFromMs === null || series.provisionalFromMs >= toMs ? null : Math.max(fromMs, series.provisionalFromMs);

  const rows: ChartRow[] = [];
  let peak: ConcurrencyModel["peak"] = null;
  let hasTraffic = false;
  let top = 0;
  let max429 = 0;
  for (const p of points) {
    const limit = limitAt(steps, p.t / 1000);
    const believed = believedAt.get(p.t) ?? null;
    const prevExcess = rows.at(-1)?.excess ?? null;
    const provisional = provisionalFromMs !== null && p.t + bucketMs > provisionalFromMs;
    const live = provisional && liveFromMs !== null && liveToMs !== null && p.t >= liveFromMs && p.t <= liveToMs ? (liveAt.get(p.t) ?? 0) : null;
    let excess: ChartRow["excess"] = null;
    if (limit !== null && p.inFlight > limit) excess = [limit, p.inFlight];
    else if (prevExcess && prevExcess[0] !== prevExcess[1]) excess = [prevExcess[0], prevExcess[0]];
    rows.push({
      t: p.t,
      inFlight: p.inFlight,
      believed,
      limit,
      excess,
      admitted: p.admitted,
      rejected: p.rejected,
      rejectedRpm: p.rejectedRpm,
      rejectedTpm: p.rejectedTpm,
      rejectedOther: p.rejectedOther,
      provisional,
      live,
    });
    if (p.inFlight > 0 && (peak === null || p.inFlight > peak.inFlight)) peak = { t: p.t, inFlight: p.inFlight };
    const n429 = total429s(p);
    if (n429 > max429) max429 = n429;
    if (p.inFlight > 0 || p.admitted > 0 || n429 > 0) hasTraffic = true;
    top = Math.max(top, p.inFlight, believed ?? 0, limit ?? 0, live ?? 0);
  }

  const episodes = episodesAbove(
    points.map((p) => ({ sec: p.t / 1000, maxInFlight: p.inFlight })),
    steps,
    bucketMs / 1000,
    0,
  ).map((e) => ({ fromMs: e.fromSec * 1000, toMs: e.toSec * 1000, peak: e.peak, limit: e.limit }));

  const limitChanges: ConcurrencyModel["limitChanges"] = [];
  for (const r of rows) {
    if (limitChanges.length === 0 || limitChanges[limitChanges.length - 1].limit !== r.limit) limitChanges.push({ t: r.t, limit: r.limit });
  }

  return {
    fromMs,
    toMs,
    bucketMs,
    rows,
    episodes,
    aboveLimitMs: episodes.reduce((sum, e) => sum + e.toMs - e.fromMs, 0),
    limitChanges,
    peak,
    provisionalFromMs,
    hasTraffic,
    hasBelief: series.belief.some((b) => b.believed !== null),
    hasLive: rows.some((r) => r.live !== null),
    rejections: REJECTION_KINDS.filter((k) => points.some((p) => p[k.field] > 0)),
    max429,
    yMax: Math.max(2, Math.ceil(top * 1.15), top + 1),
  };
}
