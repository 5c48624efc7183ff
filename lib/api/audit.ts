import { z } from "zod";

const OUTCOME = z.enum(["pending", "applied", "refused", "unreachable", "unconfirmed", "external"]);

/** Filters of the audit trail (page and API), all optional. */
export const AuditQuerySchema = z.object({
  key: z.string().regex(/^[0-9a-f]{64}$/, "key: the sha256 hex of the key").optional(),
  actor: z.string().trim().min(1).max(200).optional(),
  outcome: OUTCOME.optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().positive().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(100),
  format: z.enum(["json", "csv"]).default("json"),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

const Fields = z.record(z.string(), z.unknown()).nullable();

/** One audit entry as the API and the page show it. */
export const AuditRowSchema = z.object({
  id: z.number(),
  atMs: z.number(),
  actorKind: z.enum(["user", "token", "proxy"]),
  actorLabel: z.string(),
  action: z.string(),
  keyHash: z.string().nullable(),
  keyAlias: z.string().nullable(),
  teamId: z.string().nullable(),
  before: Fields,
  after: Fields,
  reason: z.string().nullable(),
  outcome: OUTCOME,
  message: z.string().nullable(),
});
export type AuditRow = z.infer<typeof AuditRowSchema>;
export const AuditPageSchema = z.object({ rows: z.array(AuditRowSchema) });
