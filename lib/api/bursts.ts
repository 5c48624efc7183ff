import { z } from "zod";
import type { BurstProgress } from "../burst/fire";
import type { BurstReport } from "../burst/report";
import { RUN_STATES } from "../burst/repository";

// The burst-test contract: the form in the browser, `npm run burst` through an Inflight, and the
// routes check a start with the same schema.

/** The most requests one test fires (each holds a connection): lib/burst/run.ts MAX_BURST. */
export const MAX_BURST_REQUESTS = 500;

export const BurstStartSchema = z
  .object({
    /** The key by alias or hash: `POST /api/bursts` only (the key page's route names it in the path). */
    key: z.string().trim().min(1).max(200).optional(),
    /** Requests fired at once; absent: a few times the limit. */
    n: z.number().int("n: a whole number").min(1, "n: at least 1").max(MAX_BURST_REQUESTS, `n: at most ${MAX_BURST_REQUESTS}`).optional(),
    holdS: z.number().min(0.5, "holdS: at least 0.5 s").max(600, "holdS: at most 600 s").default(3),
    rounds: z.number().int("rounds: a whole number").min(1).max(10, "rounds: at most 10").default(1),
    model: z.string().trim().min(1).max(200).optional(),
    target: z.enum(["twin", "key"]).default("twin"),
    /** The key's raw `sk-` value (target "key"): held in memory for the run only, never stored or logged. */
    rawKey: z.string().regex(/^sk-[\x21-\x7e]+$/, "rawKey: the key itself, starting with sk-").max(500, "rawKey: too long for a key").optional(),
    /** The twin joins the key's team (it then spends the team's limits). */
    twinInTeam: z.boolean().default(false),
    /** Consent to set allow_client_mock_response: true on the key itself for the run (put back afterwards). */
    allowMockMetadata: z.boolean().default(false),
  })
  .strict()
  .refine((v) => v.target !== "key" || v.rawKey !== undefined, { message: "rawKey: testing the key itself needs its raw sk- value", path: ["rawKey"] })
  .refine((v) => v.n === undefined || v.n * v.rounds <= MAX_BURST_REQUESTS, {
    message: `n: at most ${MAX_BURST_REQUESTS} requests per test in all (n × rounds)`,
    path: ["n"],
  })
  .refine((v) => v.target !== "twin" || (v.rawKey === undefined && !v.allowMockMetadata), {
    message: "target: a twin key needs no raw key and no metadata change (choose target key for those)",
    path: ["target"],
  });
export type BurstStart = z.infer<typeof BurstStartSchema>;

const VERDICT = z.enum(["PASS", "FAIL-leaky", "FAIL-stuck", "FAIL-multiplied", "INCONCLUSIVE"]);

export const BurstProgressSchema = z.object({ sent: z.number(), admitted: z.number(), rejected: z.number(), other: z.number(), inFlight: z.number(), done: z.number() }) satisfies z.ZodType<BurstProgress>;

const BurstRequestSchema = z.object({
  id: z.string(),
  round: z.number(),
  sentMs: z.number(),
  headersMs: z.number().nullable(),
  endMs: z.number(),
  status: z.number(),
  retryAfter: z.string().nullable(),
  rateLimitType: z.string().nullable(),
  rateLimitHeaders: z.record(z.string(), z.string()),
});

const SpendLogViewSchema = z.object({
  state: z.enum(["awaiting", "complete", "partial"]),
  expected: z.number(),
  found: z.number(),
  peak: z.number(),
  peakAtMs: z.number().nullable(),
  peakIds: z.array(z.string()),
  offsetMs: z.number().nullable(),
});

export const BurstReportSchema = z.object({
  verdict: VERDICT,
  reasons: z.array(z.string()),
  sent: z.number(),
  admitted: z.number(),
  rejected: z.number(),
  other: z.number(),
  peak: z.number(),
  peakAtMs: z.number().nullable(),
  peakIds: z.array(z.string()),
  keyHash: z.string(),
  keyAlias: z.string().nullable(),
  limit: z.number().nullable(),
  n: z.number(),
  holdS: z.number(),
  rounds: z.number(),
  everyS: z.number(),
  target: z.enum(["twin", "key"]),
  model: z.string().nullable(),
  startedMs: z.number(),
  endedMs: z.number(),
  requests: z.array(BurstRequestSchema),
  client: z.object({ verdict: VERDICT, reasons: z.array(z.string()) }),
  spendLogs: SpendLogViewSchema.nullable(),
}) satisfies z.ZodType<BurstReport>;

/** A run in a list: everything but its report. */
export const BurstRunListItemSchema = z.object({
  id: z.string(),
  keyHash: z.string(),
  keyAlias: z.string().nullable(),
  actorLabel: z.string(),
  state: z.enum(RUN_STATES),
  target: z.enum(["twin", "key"]),
  plan: z.record(z.string(), z.unknown()),
  startedMs: z.number(),
  endedMs: z.number().nullable(),
  cancelRequested: z.boolean(),
  progress: BurstProgressSchema.nullable(),
  verdict: z.string().nullable(),
  message: z.string().nullable(),
  /** Something the run changed on the proxy is not undone yet (a twin key, the key's metadata). */
  cleanupPending: z.boolean(),
  auditId: z.number().nullable(),
});
export type BurstRunListItem = z.infer<typeof BurstRunListItemSchema>;

/** A run with its report once it has one. */
export const BurstRunViewSchema = BurstRunListItemSchema.extend({ report: BurstReportSchema.nullable() });
export type BurstRunView = z.infer<typeof BurstRunViewSchema>;

/** A key's runs, and what its start form needs. */
export const KeyBurstsViewSchema = z.object({
  runs: z.array(BurstRunListItemSchema),
  /** Whether this caller may start a run now, and if not why (null: may). */
  startBlockedBy: z.string().nullable(),
  limit: z.number().nullable(),
  teamId: z.string().nullable(),
  /** Requests fired when the form leaves it empty (a few times the limit). */
  defaultN: z.number().nullable(),
});
export type KeyBurstsView = z.infer<typeof KeyBurstsViewSchema>;
