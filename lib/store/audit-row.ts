import type { AuditEntry, Outcome, StoredAuditEntry } from "../audit/repository";

// An audit_entry row as both adapters read it back (before/after are JSON text in either store).

const fields = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as Record<string, unknown>) : null);

export const auditJson = (v: Record<string, unknown> | null) => (v === null ? null : JSON.stringify(v));

export function auditRow(r: Record<string, unknown>): StoredAuditEntry {
  return {
    id: Number(r.id),
    atMs: Number(r.at_ms),
    actorKind: r.actor_kind as AuditEntry["actorKind"],
    actorId: (r.actor_id as string | null) ?? null,
    actorLabel: String(r.actor_label),
    action: String(r.action),
    keyHash: (r.key_hash as string | null) ?? null,
    keyAlias: (r.key_alias as string | null) ?? null,
    teamId: (r.team_id as string | null) ?? null,
    before: fields(r.before),
    after: fields(r.after),
    reason: (r.reason as string | null) ?? null,
    outcome: r.outcome as Outcome,
    message: (r.message as string | null) ?? null,
  };
}
