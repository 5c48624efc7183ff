import { z } from "zod";

// The limit-edit contract: the same schema checks the form in the browser and the route on the server.

/** LiteLLM stores rpm/tpm as BigInt and max_parallel_requests as Int (32-bit). */
const MAX_PARALLEL = 2_147_483_647;
const MAX_RATE = 1_000_000_000_000;

const limit = (name: string, max: number) =>
  z
    .number({ error: `${name}: a whole number, or null for no limit` })
    .int(`${name}: a whole number`)
    .min(0, `${name}: 0 or more (0 blocks every request)`)
    .max(max, `${name}: at most ${max.toLocaleString("en-US")}`)
    .nullable()
    .optional();

/** A change to a key's limits: only the fields given change; null means "no limit". */
export const LimitsEditSchema = z
  .object({
    max_parallel_requests: limit("max_parallel_requests", MAX_PARALLEL),
    rpm_limit: limit("rpm_limit", MAX_RATE),
    tpm_limit: limit("tpm_limit", MAX_RATE),
    /** Fields to set in the key's metadata (null removes one); the rest of the metadata is kept. */
    metadata: z.record(z.string().min(1).max(200), z.json()).optional(),
    reason: z.string().trim().max(500, "reason: at most 500 characters").optional(),
    /** Required when a limit becomes 0: it blocks every request on LiteLLM. */
    confirmZero: z.boolean().optional(),
  })
  .strict()
  .refine((v) => v.max_parallel_requests !== undefined || v.rpm_limit !== undefined || v.tpm_limit !== undefined || v.metadata !== undefined, {
    message: "nothing to change: give max_parallel_requests, rpm_limit, tpm_limit or metadata",
  })
  .refine((v) => v.confirmZero === true || ![v.max_parallel_requests, v.rpm_limit, v.tpm_limit].includes(0), {
    message: "a limit of 0 blocks every request on LiteLLM (admission needs in-flight + 1 <= limit): confirm it with confirmZero: true",
    path: ["confirmZero"],
  });
export type LimitsEdit = z.infer<typeof LimitsEditSchema>;

export const LIMIT_FIELDS = ["max_parallel_requests", "rpm_limit", "tpm_limit"] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];

/** What the server answers after an edit. */
export interface LimitsEditResult {
  auditId: number;
  outcome: "applied" | "refused" | "unreachable" | "unconfirmed";
  message: string | null;
  before: Record<string, unknown>;
  after: Record<string, unknown> | null;
  /** Other proxy replicas keep the old limit until their auth cache expires. */
  propagationNote: string;
}

/** `GET /api/keys/[hash]/limits`: what the edit form starts from. */
export const KeyLimitsViewSchema = z.object({
  /** The key's limits as LiteLLM holds them now; null when the proxy could not be read. */
  live: z
    .object({ max_parallel_requests: z.number().nullable(), rpm_limit: z.number().nullable(), tpm_limit: z.number().nullable() })
    .nullable(),
  /** Why `live` is missing. */
  liveError: z.string().nullable(),
  /** The peak true concurrency of each minute over the last 24 h, oldest first. */
  minuteMaxima: z.array(z.number()),
  /** Whether this caller may edit, and if not, why (a viewer; a read-only LiteLLM key). */
  canEdit: z.boolean(),
  editBlockedBy: z.string().nullable(),
  propagationNote: z.string(),
});
export type KeyLimitsView = z.infer<typeof KeyLimitsViewSchema>;

const LimitsSchema = z.object({ max_parallel_requests: z.number().nullable(), rpm_limit: z.number().nullable(), tpm_limit: z.number().nullable() });

/** One key of a team-wide change, previewed: its limits now, after, and what the new limit would have done. */
export const TeamLimitsPreviewSchema = z.object({
  team: z.string(),
  rows: z.array(
    z.object({
      hash: z.string(),
      alias: z.string().nullable(),
      before: LimitsSchema.nullable(),
      after: LimitsSchema.nullable(),
      /** Whether this key's values differ from the new ones (otherwise it is left alone). */
      changes: z.boolean(),
      /** Why the key could not be read from LiteLLM (it is then skipped). */
      liveError: z.string().nullable(),
      peak24h: z.number(),
      minutesAbove: z.number(),
    }),
  ),
});
export type TeamLimitsPreview = z.infer<typeof TeamLimitsPreviewSchema>;

export const TeamLimitsResultSchema = z.object({
  team: z.string(),
  results: z.array(
    z.object({
      hash: z.string(),
      alias: z.string().nullable(),
      outcome: z.enum(["applied", "refused", "unreachable", "unconfirmed", "unchanged"]),
      message: z.string().nullable(),
    }),
  ),
  propagationNote: z.string(),
});
export type TeamLimitsResult = z.infer<typeof TeamLimitsResultSchema>;
