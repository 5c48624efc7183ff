import type { BurstRunRow, BurstRunSummary, NewBurstRun, RunState } from "../burst/repository";

// A burst_run row as both adapters read it back (plan, progress, report and restore are JSON text).

const parsed = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as unknown) : null);

export const burstJson = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** The columns a list reads: all but the report, which holds every request. */
export const SUMMARY_COLUMNS =
  "id, key_hash, key_alias, team_id, actor_label, audit_id, state, target, plan, started_ms, heartbeat_ms, ended_ms, cancel_requested, progress, verdict, message, twin_hash, restore";

export function burstSummaryRow(r: Record<string, unknown>): BurstRunSummary {
  return {
    id: String(r.id),
    keyHash: String(r.key_hash),
    keyAlias: (r.key_alias as string | null) ?? null,
    teamId: (r.team_id as string | null) ?? null,
    actorLabel: String(r.actor_label),
    auditId: r.audit_id === null || r.audit_id === undefined ? null : Number(r.audit_id),
    state: r.state as RunState,
    target: r.target as NewBurstRun["target"],
    plan: parsed(r.plan) as Record<string, unknown>,
    startedMs: Number(r.started_ms),
    heartbeatMs: Number(r.heartbeat_ms),
    endedMs: r.ended_ms === null || r.ended_ms === undefined ? null : Number(r.ended_ms),
    cancelRequested: Boolean(r.cancel_requested),
    progress: parsed(r.progress) as BurstRunSummary["progress"],
    verdict: (r.verdict as string | null) ?? null,
    message: (r.message as string | null) ?? null,
    twinHash: (r.twin_hash as string | null) ?? null,
    restore: parsed(r.restore) as BurstRunSummary["restore"],
  };
}

export function burstRow(r: Record<string, unknown>): BurstRunRow {
  return { ...burstSummaryRow(r), report: parsed(r.report) };
}
