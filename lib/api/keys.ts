import { z } from "zod";
import { KeyStatusSchema } from "../key-state/status";
import { rangeQuery } from "./common";

// Contracts of the key routes (`/api/overview`, `/api/keys/:hash/*`): the routes validate queries
// with them and the browser checks every answer against them.

const nullableCount = z.number().int().nullable();

export const KeyRefSchema = z.object({
  id: z.number().int(),
  hash: z.string(),
  alias: z.string().nullable(),
  teamId: z.string().nullable(),
  maxParallelRequests: nullableCount,
  rpmLimit: nullableCount,
  tpmLimit: nullableCount,
  inCatalog: z.boolean(),
});
export type KeyRefView = z.infer<typeof KeyRefSchema>;

export const LimitStepSchema = z.object({
  fromMs: z.number(),
  maxParallelRequests: nullableCount,
  rpmLimit: nullableCount,
  tpmLimit: nullableCount,
  source: z.string(),
});

/** How a key stands over the requested range (see lib/key-state). */
export const KeyStateSchema = z.object({
  status: KeyStatusSchema,
  severity: z.number(),
  limitNow: nullableCount,
  peak: z.number().int(),
  admitted: z.number().int(),
  /** 429s for max_parallel_requests in the range. */
  rejected: z.number().int(),
  peakRatio: z.number().nullable(),
  violations: z.number().int(),
  secondsOver: z.number().int(),
  inFlightNow: z.number().int(),
  believedNow: z.number().nullable(),
});

/** Query of `GET /api/overview`. */
export const OverviewQuerySchema = rangeQuery(31, {});

export const OverviewRowSchema = KeyRefSchema.omit({ id: true }).extend({
  state: KeyStateSchema,
  /** Max in flight per bucket over the range. */
  sparkline: z.array(z.number().int()),
  /** Requests in flight now from the live tracker (Inflight's LiteLLM callback); null without one. */
  live: z.number().int().nullable(),
});
export type OverviewRow = z.infer<typeof OverviewRowSchema>;

export const OverviewSchema = z.object({
  fromMs: z.number(),
  toMs: z.number(),
  /** Stored truth is complete up to here. */
  watermarkMs: z.number().nullable(),
  rows: z.array(OverviewRowSchema),
  teams: z.array(z.string()),
  /** The live tracker: when a writer was last seen (null: none ever); absent without a tracker Redis. */
  tracker: z.object({ lastSeenMs: z.number().nullable(), live: z.boolean() }).nullable(),
});
export type Overview = z.infer<typeof OverviewSchema>;

/** Query of `GET /api/keys/:hash/series`. */
export const SeriesQuerySchema = rangeQuery(31, { maxPoints: z.coerce.number().int().min(10).max(5000).default(1500) });
export type SeriesQuery = z.output<typeof SeriesQuerySchema>;

export const SeriesPointSchema = z.object({
  /** Bucket start, epoch ms. */
  t: z.number(),
  inFlight: z.number().int(),
  admitted: z.number().int(),
  /** 429s for the key's max_parallel_requests (concurrency rejections). */
  rejected: z.number().int(),
  /** The proxy's other 429s: the key's rpm and tpm limits, and every other limit (team, user, per-model, unnamed). */
  rejectedRpm: z.number().int(),
  rejectedTpm: z.number().int(),
  rejectedOther: z.number().int(),
});
export type SeriesPoint = z.infer<typeof SeriesPointSchema>;

export const BeliefBucketSchema = z.object({
  /** Bucket start, epoch ms. */
  t: z.number(),
  believed: z.number().nullable(),
  rawMin: z.number().nullable(),
  rawMax: z.number().nullable(),
  era: z.string(),
});
export type BeliefPoint = z.infer<typeof BeliefBucketSchema>;

/** The tracker's live truth for a bucket (the most in flight in it), where spend logs have not settled it. */
export const LiveBucketSchema = z.object({
  /** Bucket start, epoch ms. */
  t: z.number(),
  inFlight: z.number(),
});

export const KeySeriesSchema = z.object({
  key: KeyRefSchema,
  fromMs: z.number(),
  toMs: z.number(),
  bucketMs: z.number(),
  resolution: z.enum(["1s", "1m", "1h"]),
  points: z.array(SeriesPointSchema),
  limits: z.array(LimitStepSchema),
  belief: z.array(BeliefBucketSchema),
  /** Live truth from the tracker callback over the provisional window (empty without a tracker); a bucket without one had nothing in flight. */
  live: z.array(LiveBucketSchema),
  /** Truth from here on may still change as late spend-log rows arrive. */
  provisionalFromMs: z.number().nullable(),
  /** The key's state over this range, computed as the overview computes it. */
  state: KeyStateSchema,
});
export type KeySeries = z.infer<typeof KeySeriesSchema>;

/** Query of `GET /api/keys/:hash/evidence`: the window (e.g. one chart bucket) to find the peak in. */
export const EvidenceQuerySchema = rangeQuery(1, {});

export const EvidenceRequestSchema = z.object({
  requestId: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  durationMs: z.number(),
  status: z.string().nullable(),
  model: z.string(),
});

export const KeyEvidenceSchema = z.object({
  key: z.object({ hash: z.string(), alias: z.string().nullable() }),
  fromMs: z.number(),
  toMs: z.number(),
  /** The instant in the window with the most requests in flight, and that number. */
  peakAtMs: z.number().nullable(),
  peak: z.number().int(),
  /** The requests in flight at the peak instant, oldest first. */
  requests: z.array(EvidenceRequestSchema),
  /** More requests were in flight than are listed. */
  truncated: z.boolean(),
});
export type KeyEvidence = z.infer<typeof KeyEvidenceSchema>;
export type Evidence = Omit<KeyEvidence, "key">;
