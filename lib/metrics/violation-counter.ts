import { limitStepsByKey, lowestLimits } from "../catalog/limit-steps";
import { SPEND_LOG_SOURCE } from "../ingest/ingest";
import type { Store } from "../store/store";
import { limitAt } from "../violations/episodes";

/** At most this much settled time per run, so a long pause is caught up in bounded steps. */
const MAX_STEP_SEC = 3600;

export interface ViolationCount {
  fromSec: number | null;
  throughSec: number | null;
  seconds: number;
  /** More settled time is waiting: run again right away. */
  behind: boolean;
}

/**
 * Adds to each key's `violation_seconds` counter the settled seconds (before the ingest cursor's
 * complete-before, which no later row can change) above the limit in force then. Counted once:
 * the cursor moves in the same transaction. The first run starts at the settled edge, so the
 * counter counts from the day Inflight started counting, as a Prometheus counter does.
 */
export async function countViolationSeconds(store: Pick<Store, "catalog" | "series" | "ingest" | "metrics">): Promise<ViolationCount> {
  const cursor = await store.ingest.readCursor(SPEND_LOG_SOURCE);
  if (!cursor) return { fromSec: null, throughSec: null, seconds: 0, behind: false };
  const settledSec = Math.floor(cursor.completeBeforeMs / 1000);
  const fromSec = (await store.metrics.violationsCountedThrough()) ?? settledSec;
  const throughSec = Math.min(settledSec, fromSec + MAX_STEP_SEC);
  if (throughSec <= fromSec) return { fromSec, throughSec: fromSec, seconds: 0, behind: false };

  const keys = await store.catalog.listedKeys();
  const ids = keys.map((k) => k.id);
  const steps = limitStepsByKey(ids, await store.catalog.limitChanges(ids, throughSec * 1000), fromSec * 1000, throughSec * 1000);
  const thresholds = lowestLimits(steps);
  const perKey = new Map<number, number>();
  let seconds = 0;
  if (thresholds.size) {
    const queries = [...thresholds].map(([keyId, threshold]) => ({ keyId, threshold, fromSec, toSec: throughSec }));
    for (const r of await store.series.above(queries, "1s")) {
      const limit = limitAt(steps.get(r.keyId)!, r.sec);
      if (limit === null || r.maxInFlight <= limit) continue;
      perKey.set(r.keyId, (perKey.get(r.keyId) ?? 0) + 1);
      seconds++;
    }
  }
  await store.metrics.addViolationSeconds(perKey, throughSec);
  return { fromSec, throughSec, seconds, behind: throughSec < settledSec };
}
