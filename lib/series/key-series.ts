import type { KeySeries, SeriesQuery } from "../api/keys";
import { limitSteps } from "../catalog/limit-steps";
import type { KeyRef } from "../catalog/repository";
import { SPEND_LOG_SOURCE } from "../ingest/ingest";
import { readKeyStates } from "../key-state/read";
import type { Store } from "../store/store";
import { readSeriesWindow } from "./read";

/** One key's truth, belief, limits and state over a range, cut to at most ~maxPoints buckets. */
export async function readKeySeries(store: Pick<Store, "catalog" | "series" | "samples" | "ingest" | "live">, key: KeyRef, query: SeriesQuery): Promise<KeySeries> {
  const fromSec = Math.floor(query.from / 1000);
  const toSec = Math.ceil(query.to / 1000);
  const [w, changes, cursor, { states }] = await Promise.all([
    readSeriesWindow(store.series, key.id, fromSec, toSec, query.maxPoints),
    store.catalog.limitChanges([key.id], toSec * 1000),
    store.ingest.readCursor(SPEND_LOG_SOURCE),
    readKeyStates(store, [key], query.from, query.to),
  ]);
  // Live truth only where spend logs have not settled the truth (from the bucket holding the cursor on).
  const settledSec = cursor ? Math.floor(cursor.completeBeforeMs / 1000) : fromSec;
  const liveFromSec = Math.max(fromSec, Math.floor(settledSec / w.bucketSec) * w.bucketSec);
  const [belief, live] = await Promise.all([
    store.samples.buckets(key.id, fromSec, toSec, w.bucketSec),
    liveFromSec < toSec ? store.live.buckets(key.id, liveFromSec, toSec, w.bucketSec) : [],
  ]);
  return {
    key,
    fromMs: fromSec * 1000,
    toMs: toSec * 1000,
    bucketMs: w.bucketSec * 1000,
    resolution: w.resolution,
    points: w.buckets.map(({ t, maxInFlight, ...counts }) => ({ t: t * 1000, inFlight: maxInFlight, ...counts })),
    limits: limitSteps(changes, fromSec * 1000, toSec * 1000),
    belief: belief.map((b) => ({ ...b, t: b.t * 1000 })),
    live: live.map((b) => ({ t: b.t * 1000, inFlight: b.maxInFlight })),
    provisionalFromMs: cursor?.completeBeforeMs ?? null,
    state: states.get(key.id)!,
  };
}
