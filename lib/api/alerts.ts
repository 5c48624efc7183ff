import { z } from "zod";
import { CHANNEL_TYPES } from "../alerts/channels/channel";
import { RULE_PARAMS } from "../alerts/rules";
import { DetectorSchema, PHASES } from "../alerts/types";

// Contracts of the alert routes, shared by the pages (browser) and the server.

const HashSchema = z.string().regex(/^[0-9a-f]{64}$/, "keyHash: a key's SHA-256 hash (64 hex characters)");
const TeamSchema = z.string().trim().min(1, "teamId: a team id").max(200);

export const RuleScopeSchema = z.discriminatedUnion(
  "kind",
  [z.object({ kind: z.literal("all") }), z.object({ kind: z.literal("team"), teamId: TeamSchema }), z.object({ kind: z.literal("key"), keyHash: HashSchema })],
  { error: 'scope: { kind: "all" }, { kind: "team", teamId }, or { kind: "key", keyHash }' },
);

/** A rule as an admin writes it; params are checked against the detector's own thresholds. */
export const RuleInputSchema = z
  .object({
    name: z.string().trim().min(1, "name: give the rule a name").max(100, "name: at most 100 characters"),
    detector: DetectorSchema,
    scope: RuleScopeSchema,
    params: z.record(z.string(), z.number({ error: "params: numbers only" })).default({}),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((r, ctx) => {
    const parsed = RULE_PARAMS[r.detector].strict().safeParse(r.params);
    if (!parsed.success) for (const i of parsed.error.issues) ctx.addIssue({ code: "custom", path: ["params", ...i.path.map(String)], message: i.message });
  });
export type RuleInput = z.infer<typeof RuleInputSchema>;

export const RuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  detector: DetectorSchema,
  scope: RuleScopeSchema,
  params: z.record(z.string(), z.number()),
  enabled: z.boolean(),
  builtIn: z.boolean(),
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
});
export type RuleView = z.infer<typeof RuleSchema>;
export const RuleListSchema = z.object({ rules: z.array(RuleSchema) });

const ChannelTypeSchema = z.enum(CHANNEL_TYPES);
/** The channel types an admin can add (the in-app feed is built in). */
export const EDITABLE_CHANNEL_TYPES = ["slack", "pagerduty", "webhook"] as const;

export const ChannelCreateSchema = z
  .object({
    name: z.string().trim().min(1, "name: give the channel a name").max(100),
    type: z.enum(EDITABLE_CHANNEL_TYPES, { error: 'type: "slack", "pagerduty" or "webhook"' }),
    teamId: TeamSchema.nullable().default(null),
    /** Checked by the channel's own schema (lib/alerts/channels). */
    config: z.record(z.string(), z.unknown()),
    enabled: z.boolean().default(true),
  })
  .strict();
export type ChannelCreate = z.infer<typeof ChannelCreateSchema>;

/** An edit: config fields left out (or empty) keep their stored value, so a secret need not be typed again. */
export const ChannelUpdateSchema = z
  .object({
    name: z.string().trim().min(1, "name: give the channel a name").max(100).optional(),
    teamId: TeamSchema.nullable().optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type ChannelUpdate = z.infer<typeof ChannelUpdateSchema>;

export const ChannelSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: ChannelTypeSchema,
  teamId: z.string().nullable(),
  source: z.enum(["ui", "env", "builtin"]),
  enabled: z.boolean(),
  consecutiveFailures: z.number(),
  pausedAtMs: z.number().nullable(),
  lastError: z.string().nullable(),
  /** Secrets replaced by a hint; an environment channel's come from its settings. */
  config: z.record(z.string(), z.string().nullable()),
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
});
export type ChannelView = z.infer<typeof ChannelSchema>;
export const ChannelListSchema = z.object({ channels: z.array(ChannelSchema), allowedHosts: z.array(z.string()) });

export const SendResultSchema = z.object({
  ok: z.boolean(),
  status: z.number().nullable(),
  latencyMs: z.number(),
  error: z.string().nullable(),
  retryAfterMs: z.number().nullable(),
  permanent: z.boolean(),
});

const NotificationPayloadSchema = z.looseObject({
  event: z.string(),
  summary: z.string(),
  url: z.string(),
  keyHash: z.string(),
  keyAlias: z.string().nullable(),
  teamId: z.string().nullable(),
  peak: z.number().nullable(),
  limit: z.number().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  environment: z.string().nullable(),
  alertId: z.string(),
  detector: DetectorSchema,
});

export const NotificationSchema = z.object({
  id: z.string(),
  alertId: z.string(),
  channelId: z.string(),
  phase: z.enum(PHASES),
  payload: NotificationPayloadSchema,
  status: z.enum(["pending", "sent", "failed"]),
  attempts: z.number(),
  nextAttemptMs: z.number(),
  lastError: z.string().nullable(),
  createdAtMs: z.number(),
  sentAtMs: z.number().nullable(),
});
export type NotificationView = z.infer<typeof NotificationSchema>;
export const NotificationListSchema = z.object({ notifications: z.array(NotificationSchema) });

export const AttemptSchema = z.object({
  notificationId: z.string(),
  atMs: z.number(),
  ok: z.boolean(),
  httpStatus: z.number().nullable(),
  latencyMs: z.number(),
  error: z.string().nullable(),
});

export const AlertSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  /** Null when its rule was removed since. */
  detector: DetectorSchema.nullable(),
  keyId: z.number(),
  keyHash: z.string(),
  keyAlias: z.string().nullable(),
  teamId: z.string().nullable(),
  state: z.enum(["pending", "firing", "resolved"]),
  announced: z.enum(["live", "past"]).nullable(),
  startedSec: z.number(),
  lastActiveSec: z.number(),
  peak: z.number().nullable(),
  limit: z.number().nullable(),
  evidence: z.record(z.string(), z.unknown()),
  episodes: z.number(),
  lastNotifiedAtMs: z.number().nullable(),
  resolvedAtMs: z.number().nullable(),
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
});
export type AlertView = z.infer<typeof AlertSchema>;
export const AlertListSchema = z.object({ alerts: z.array(AlertSchema), environment: z.string().nullable() });
export const AlertDetailSchema = z.object({
  alert: AlertSchema,
  summary: z.string(),
  notifications: z.array(NotificationSchema.extend({ channelName: z.string(), attempts: z.array(AttemptSchema) })),
});

export const AlertListQuerySchema = z.object({
  state: z.enum(["open", "pending", "firing", "resolved"]).optional(),
  key: HashSchema.optional(),
  rule: z.string().max(100).optional(),
  before: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const SilenceInputSchema = z
  .object({
    ruleId: z.string().max(100).nullable().default(null),
    keyHash: HashSchema.nullable().default(null),
    teamId: TeamSchema.nullable().default(null),
    /** How long from now, in minutes (at most 90 days). */
    minutes: z.number({ error: "minutes: how long the silence lasts" }).int().min(1, "minutes: at least 1").max(90 * 24 * 60, "minutes: at most 90 days"),
    comment: z.string().trim().min(1, "comment: say why (the next person on call will read it)").max(500),
  })
  .strict();
export type SilenceInput = z.infer<typeof SilenceInputSchema>;

export const SilenceSchema = z.object({
  id: z.string(),
  ruleId: z.string().nullable(),
  keyHash: z.string().nullable(),
  teamId: z.string().nullable(),
  endsAtMs: z.number(),
  comment: z.string(),
  createdBy: z.string(),
  createdAtMs: z.number(),
});
export const SilenceListSchema = z.object({ silences: z.array(SilenceSchema) });

export const FeedSchema = z.object({
  items: z.array(z.object({ id: z.number(), alertId: z.string(), notification: NotificationPayloadSchema.extend({ phase: z.enum(PHASES) }), createdAtMs: z.number() })),
  unread: z.number(),
  environment: z.string().nullable(),
});
export type Feed = z.infer<typeof FeedSchema>;
export const FeedReadSchema = z.object({ toId: z.number().int().min(0) }).strict();
