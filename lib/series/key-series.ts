import { z } from "zod";
import type { Sqlite } from "../store/sqlite";
import type { BeliefBucket, KeyQueries, KeyRef, LimitStep } from "./key-queries";

const epochMs = z.union([
  z.coerce.number().int().min(0),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

/** Query of `GET /api/keys/:hash/series`: a range in epoch ms or ISO-8601, at most 31 days. */
export const SeriesQuerySchema = z
  .object({
    from: epochMs,
    to: epochMs,
    maxPoints: z.coerce.number().int().min(10).max(5000).default(1500),
  })
  .refine((q) => q.to > q.from, { message: "to must be after from", path: ["to"] })
  .refine((q) => q.to - q.from <= 31 * 86_400_000, { message: "a range is at most 31 days", path: ["to"] });
export type SeriesQuery = z.output<typeof SeriesQuerySchema>;

/** Query of `GET /api/keys/:hash/evidence`: the window (e.g. one chart bucket) to find the peak in, at most 1 day. */
export const EvidenceQuerySchema = z
  .object({ from: epochMs, to: epochMs })
  .refine((q) => q.to > q.from, { message: "to must be after from", path: ["to"] })
  .refine((q) => q.to - q.from <= 86_400_000, { message: "an evidence window is at most 1 day", path: ["to"] });

export interface SeriesPoint {
  /** Bucket start, epoch ms. */
  t: number;
  inFlight: number;
  admitted: number;
  rejected: number;
}

export interface KeySeries {
  key: KeyRef;
  fromMs: number;
  toMs: number;
  bucketMs: number;
  resolution: "1s" | "1m";
  points: SeriesPoint[];
  limits: LimitStep[];
  belief: BeliefBucket[];
  /** Truth from here on may still change as late spend-log rows arrive. */
  provisionalFromMs: number | null;
}

export function readCursorCompleteBefore(db: Sqlite): number | null {
  const v = db.prepare("SELECT complete_before_ms FROM ingest_cursor WHERE source = 'spend-logs'").pluck().get();
  return v === undefined ? null : Number(v);
}

/** One key's truth, belief and limits over a range, cut to at most ~maxPoints buckets. */
export function keySeries(q: KeyQueries, key: KeyRef, query: SeriesQuery, completeBeforeMs: number | null): KeySeries {
  const fromSec = Math.floor(query.from / 1000);
  const toSec = Math.ceil(query.to / 1000);
  const w = q.seriesWindow(key.id, fromSec, toSec, query.maxPoints);
  return {
    key,
    fromMs: fromSec * 1000,
    toMs: toSec * 1000,
    bucketMs: w.bucketSec * 1000,
    resolution: w.resolution,
    points: w.buckets.map((b) => ({ t: b.t * 1000, inFlight: b.maxInFlight, admitted: b.admitted, rejected: b.rejected })),
    limits: q.limitSteps(key.id, fromSec * 1000, toSec * 1000),
    belief: q.belief(key.id, fromSec, toSec, w.bucketSec).map((b) => ({ ...b, t: b.t * 1000 })),
    provisionalFromMs: completeBeforeMs,
  };
}
