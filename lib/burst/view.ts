import type { BurstRunListItem, BurstRunView } from "../api/bursts";
import type { BurstReport } from "./report";
import type { BurstRunRow, BurstRunSummary } from "./repository";

/** A stored run as the API shows it. */
export function runListItem(r: BurstRunSummary): BurstRunListItem {
  return {
    id: r.id,
    keyHash: r.keyHash,
    keyAlias: r.keyAlias,
    actorLabel: r.actorLabel,
    state: r.state,
    target: r.target,
    plan: r.plan,
    startedMs: r.startedMs,
    endedMs: r.endedMs,
    cancelRequested: r.cancelRequested,
    progress: r.progress,
    verdict: r.verdict,
    message: r.message,
    cleanupPending: r.twinHash !== null || r.restore !== null,
    auditId: r.auditId,
  };
}

export function runView(r: BurstRunRow): BurstRunView {
  return { ...runListItem(r), report: (r.report as BurstReport | null) ?? null };
}
