// Runs whose process died: marked interrupted (their audit entry says so), and whatever they changed
// on the proxy undone from what they stored before changing it: the twin key deleted, the key's
// metadata entry put back. Run by the runner; a run alive on any instance beats every second.
import type { AuditRepository } from "../audit/repository";
import type { LiteLLMClient } from "../litellm/client";
import { LiteLLMError } from "../litellm/errors";
import type { BurstRunRepository, BurstRunSummary } from "./repository";
import { restoreMetadata } from "./run";

/** A running run silent this long has lost its process (it beats every second). */
export const STALE_RUN_MS = 30_000;

export async function repairBurstRuns(d: { bursts: BurstRunRepository; audit: AuditRepository; litellm: LiteLLMClient }, now = Date.now()): Promise<{ interrupted: number; undone: number; left: number }> {
  const out = { interrupted: 0, undone: 0, left: 0 };
  for (const run of await d.bursts.needingRepair(now - STALE_RUN_MS)) {
    if (run.state === "running") {
      const message = "Inflight stopped during this burst test (its process ended): no verdict";
      if (await d.bursts.finish(run.id, { state: "interrupted", endedMs: now, verdict: null, report: null, message })) {
        out.interrupted++;
        if (run.auditId !== null) await d.audit.settle(run.auditId, { outcome: "unconfirmed", message, after: { run: run.id, target: run.target } });
      }
    }
    const undone = await undo(d.litellm, d.bursts, run);
    out.undone += undone.done;
    out.left += undone.left;
  }
  return out;
}

async function undo(litellm: LiteLLMClient, bursts: BurstRunRepository, run: BurstRunSummary): Promise<{ done: number; left: number }> {
  let done = 0;
  let left = 0;
  if (run.twinHash) {
    if (await deleted(litellm, run.twinHash)) {
      await bursts.twinDeleted(run.id);
      done++;
    } else left++;
  }
  if (run.restore) {
    try {
      await restoreMetadata(litellm, run.keyHash, run.restore);
      await bursts.setRestore(run.id, null);
      done++;
    } catch (e) {
      // A key deleted meanwhile has nothing left to put back.
      if (e instanceof LiteLLMError && e.kind === "not_found") {
        await bursts.setRestore(run.id, null);
        done++;
      } else left++;
    }
  }
  return { done, left };
}

/** Deletes a twin key; true when it is gone (also when it already was). */
async function deleted(litellm: LiteLLMClient, hash: string): Promise<boolean> {
  try {
    await litellm.deleteKeys([hash]);
    return true;
  } catch {
    try {
      await litellm.keyInfo(hash);
      return false;
    } catch (e) {
      return e instanceof LiteLLMError && e.kind === "not_found";
    }
  }
}
