import { limitStepsByKey, lowestLimits } from "../catalog/limit-steps";
import { SPEND_LOG_SOURCE } from "../ingest/ingest";
import type { SeriesChange } from "../series/maintain";
import type { Store } from "../store/store";
import { limitAt } from "../violations/episodes";
import type { ViolationSecond } from "./repository";

/** At most this much settled time per run, so a long pause is caught up in bounded steps. */
const MAX_STEP_SEC = 3600;

type CounterStore = Pick<Store, "catalog" | "series" | "ingest" | "metrics">;

export interface ViolationCount {
  fromSec: number | null;
  throughSec: number | null;
  seconds: number;
  /** More settled time is waiting: run again right away. */
  behind: boolean;
}

/**
 * Adds to each key's `violation_seconds` counter the settled seconds (before the ingest cursor's
 * complete-before) above the limit in force then, and moves the counted-through cursor in the same
 * transaction. The first run starts at the settled edge, so the counter counts from the day
 * Inflight started counting, as a Prometheus counter does. A second is counted once ever (the
 * store keeps which were), so a recount after late rows (`recountViolationSeconds`) adds only the
 * seconds they pushed over; seconds older than `keepSec` before the cursor are forgotten, as no late
 * row reaches back that far.
 */
export async function countViolationSeconds(store: CounterStore, keepSec = Infinity): Promise<ViolationCount> {
  const cursor = await store.ingest.readCursor(SPEND_LOG_SOURCE);
  if (!cursor) return { fromSec: null, throughSec: null, seconds: 0, behind: false };
  const settledSec = Math.floor(cursor.completeBeforeMs / 1000);
  const fromSec = (await store.metrics.violationsCountedThrough()) ?? settledSec;
  const throughSec = Math.min(settledSec, fromSec + MAX_STEP_SEC);
  if (throughSec <= fromSec) return { fromSec, throughSec: fromSec, seconds: 0, behind: false };

  const ids = (await store.catalog.listedKeys()).map((k) => k.id);
  const found = await violatingSeconds(store, ids.map((keyId) => ({ keyId, fromSec, toSec: throughSec })));
  const fresh = await store.metrics.countViolationSeconds(found, throughSec);
  if (Number.isFinite(keepSec)) await store.metrics.pruneViolationSecondsBefore(throughSec - keepSec);
  return { fromSec, throughSec, seconds: sum(fresh), behind: throughSec < settledSec };
}

/**
 * After the series were recomputed for late rows: the seconds they cover that were counted already
 * (before the counted-through cursor) are looked at again, and those now above the limit, not
 * counted before, are added. How many were.
 */
export async function recountViolationSeconds(store: CounterStore, changes: readonly SeriesChange[]): Promise<number> {
  const through = await store.metrics.violationsCountedThrough();
  if (through === null) return 0;
  const ranges = changes.filter((c) => c.fromSec < through).map((c) => ({ keyId: c.keyId, fromSec: c.fromSec, toSec: Math.min(c.toSec, through) }));
  if (!ranges.length) return 0;
  const listed = new Set((await store.catalog.listedKeys()).map((k) => k.id));
  const found = await violatingSeconds(store, ranges.filter((r) => listed.has(r.keyId)));
  return found.length ? sum(await store.metrics.countViolationSeconds(found, null)) : 0;
}

/** The seconds of these ranges (key, [fromSec, toSec)) above the limit in force then. */
async function violatingSeconds(store: CounterStore, ranges: { keyId: number; fromSec: number; toSec: number }[]): Promise<ViolationSecond[]> {
  if (!ranges.length) return [];
  const ids = [...new Set(ranges.map((r) => r.keyId))];
  const fromSec = Math.min(...ranges.map((r) => r.fromSec));
  const toSec = Math.max(...ranges.map((r) => r.toSec));
  const steps = limitStepsByKey(ids, await store.catalog.limitChanges(ids, toSec * 1000), fromSec * 1000, toSec * 1000);
  const thresholds = lowestLimits(steps);
  const queries = ranges.filter((r) => thresholds.has(r.keyId)).map((r) => ({ ...r, threshold: thresholds.get(r.keyId)! }));
  const out: ViolationSecond[] = [];
  for (const r of await store.series.above(queries, "1s")) {
    const limit = limitAt(steps.get(r.keyId)!, r.sec);
    if (limit !== null && r.maxInFlight > limit) out.push({ keyId: r.keyId, sec: r.sec });
  }
  return out;
}

const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
