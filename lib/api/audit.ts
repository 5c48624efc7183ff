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

/** One audit entry as the API and the page show it. */
export interface AuditRow {
  id: number;
  atMs: number;
  actorKind: "user" | "token" | "proxy";
  actorLabel: string;
  action: string;
  keyHash: string | null;
  keyAlias: string | null;
  teamId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
  outcome: z.infer<typeof OUTCOME>;
  message: string | null;
}
