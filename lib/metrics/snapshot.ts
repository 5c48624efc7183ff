import { zeroCounts } from "../concurrency/counts";
import { lagMs } from "../ingest/cursor";
import { SPEND_LOG_SOURCE } from "../ingest/ingest";
import type { Store } from "../store/store";
import { BELIEF_FRESH_MS } from "../key-state/read";
import type { LiveSnapshot } from "../tracker/live";
import type { KeyCounters } from "./repository";

export interface KeyMetrics {
  hash: string;
  alias: string;
  team: string;
  limit: number | null;
  /** Most requests in flight in the last complete second before the ingest watermark (truth). */
  inFlight: number;
  /** LiteLLM's latest belief from Redis, when sampled. */
  believed: number | null;
  rawCounter: number | null;
  counters: KeyCounters;
  /** Requests in flight now from the live tracker; null without one. */
  live: number | null;
}

export interface MetricsSnapshot {
  keys: KeyMetrics[];
  /** How far behind the proxy the stored truth is now; null before the first poll. */
  lagMs: number | null;
}

const ZERO: KeyCounters = { ...zeroCounts(), violationSeconds: 0 };

/**
 * What /metrics reports: a few bulk reads whatever the number of keys. `live` reads the tracker
 * (one round trip); its counts are reported only once a tracker has written there.
 */
export async function metricsSnapshot(
  store: Pick<Store, "catalog" | "series" | "samples" | "ingest" | "metrics">,
  nowMs = Date.now(),
  live?: (hashes: string[]) => Promise<LiveSnapshot | null>,
): Promise<MetricsSnapshot> {
  const [keys, cursor] = await Promise.all([store.catalog.listedKeys(), store.ingest.readCursor(SPEND_LOG_SOURCE)]);
  const ids = keys.map((k) => k.id);
  const wSec = cursor ? Math.floor(Math.max(cursor.completeBeforeMs, cursor.endWatermarkMs) / 1000) : null;
  const [last, beliefs, counters, tracked] = await Promise.all([
    wSec === null ? [] : store.series.totals(ids, "1s", [[wSec - 1, wSec]]),
    store.samples.latest(ids, nowMs - BELIEF_FRESH_MS),
    store.metrics.counters(ids),
    live ? live(keys.map((k) => k.hash)) : null,
  ]);
  const liveCounts = tracked && tracked.workers.length ? tracked.inFlight : null;
  const inFlight = new Map(last.map((b) => [b.keyId, b.maxInFlight]));
  return {
    lagMs: cursor ? lagMs(cursor, nowMs) : null,
    keys: keys.map((k) => ({
      hash: k.hash,
      alias: k.alias ?? "",
      team: k.teamId ?? "",
      limit: k.maxParallelRequests,
      inFlight: inFlight.get(k.id) ?? 0,
      believed: beliefs.get(k.id)?.believed ?? null,
      rawCounter: beliefs.get(k.id)?.rawCounter ?? null,
      counters: counters.get(k.id) ?? ZERO,
      live: liveCounts ? (liveCounts.get(k.hash) ?? 0) : null,
    })),
  };
}
