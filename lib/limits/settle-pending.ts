import type { AuditRepository } from "../audit/repository";

/** Far longer than any edit takes (two reads and a write, each within LITELLM_TIMEOUT_MS of at most 120 s). */
const STALE_AFTER_MS = 10 * 60_000;

/**
 * Entries still "pending" long after they were written belong to a process that died between
 * calling LiteLLM and hearing back: whether the change applied is unknown, and the trail says so.
 */
export async function settleAbandonedEdits(audit: AuditRepository, now = Date.now()): Promise<number> {
  const stale = await audit.pendingBefore(now - STALE_AFTER_MS);
  for (const e of stale) {
    await audit.settle(e.id, { outcome: "unconfirmed", message: "Inflight stopped before LiteLLM answered: check the key's limits", after: e.after });
  }
  return stale.length;
}
