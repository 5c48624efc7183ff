import type { AuditRepository } from "../audit/repository";
import type { LiteLLMClient } from "../litellm/client";
import { diffCatalog, type Limits, type StoredKey } from "./diff";
import type { CatalogRepository } from "./repository";

export interface SyncReport {
  keys: number;
  limitChanges: number;
  removed: number;
}

/**
 * Reads every key from the proxy and records what changed, limits with the time they were seen.
 * A limit change of a key already known was made outside Inflight (Inflight records its own edits
 * as it makes them): it enters the audit trail as external.
 */
export async function syncCatalog(
  client: LiteLLMClient,
  store: { catalog: CatalogRepository; audit: AuditRepository },
  now = Date.now,
): Promise<SyncReport> {
  const listed = await client.listAllKeys();
  const stored = await store.catalog.storedKeys();
  const diff = diffCatalog(stored, listed);
  const seenAt = now();
  await store.catalog.apply(diff, seenAt);
  const byHash = new Map(stored.map((k) => [k.hash, k]));
  const listedByHash = new Map(listed.map((k) => [k.token, k]));
  for (const c of diff.limitChanges) {
    const prev = byHash.get(c.hash)?.lastRecorded;
    if (!prev) continue; // first sight of the key: nothing changed
    const k = listedByHash.get(c.hash)!;
    await store.audit.append({
      atMs: seenAt,
      actorKind: "proxy",
      actorId: null,
      actorLabel: "outside Inflight",
      action: "key.limits",
      keyHash: c.hash,
      keyAlias: k.key_alias,
      teamId: k.team_id,
      ...limitDiff(prev, c.limits),
      reason: null,
      outcome: "external",
      message: "seen by the catalog sync",
    });
  }
  return { keys: listed.length, limitChanges: diff.limitChanges.length, removed: diff.removed.length };
}

const FIELDS: [keyof Limits, string][] = [
  ["maxParallelRequests", "max_parallel_requests"],
  ["rpmLimit", "rpm_limit"],
  ["tpmLimit", "tpm_limit"],
];

/** The fields that differ, under LiteLLM's names, as an audit entry's before and after. */
function limitDiff(prev: NonNullable<StoredKey["lastRecorded"]>, next: Limits) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [ours, theirs] of FIELDS) {
    if (prev[ours] === next[ours]) continue;
    before[theirs] = prev[ours];
    after[theirs] = next[ours];
  }
  return { before, after };
}
