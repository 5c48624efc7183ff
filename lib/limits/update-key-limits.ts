// The one verb that changes a key on LiteLLM: read the key, send only what changes, re-read to
// confirm, and keep the audit entry whatever happens. The entry is written "pending" before the
// proxy is called, so a crash mid-call leaves a trace (settled at the next start, see
// settle-pending.ts); it is then settled with the outcome. A limit change that applied is also
// recorded as a limit step, so the chart marks the moment.
import type { Principal } from "../accounts/roles";
import type { LimitsEdit, LimitsEditResult } from "../api/limits";
import { LIMIT_FIELDS } from "../api/limits";
import type { KeyRef } from "../catalog/repository";
import { ApiError } from "../http/api-error";
import type { LiteLLMClient } from "../litellm/client";
import { LiteLLMError } from "../litellm/errors";
import type { KeyInfo, KeyLimitsUpdate } from "../litellm/schemas";
import type { Store } from "../store/store";

/** LiteLLM's `user_api_key_cache_ttl` default: other replicas' cached key objects live this long. */
export const AUTH_CACHE_TTL_S = 60;

export const PROPAGATION_NOTE = `This proxy instance applies the change at once; other replicas keep the old limit until their key cache expires (LiteLLM's user_api_key_cache_ttl, ${AUTH_CACHE_TTL_S} s by default).`;

export async function updateKeyLimits(
  deps: { store: Store; litellm: LiteLLMClient; now?: () => number },
  who: Principal,
  key: KeyRef,
  edit: LimitsEdit,
): Promise<LimitsEditResult> {
  const now = deps.now ?? Date.now;
  const current = await readOrAudit(deps, who, key, edit, now);
  const { body, before, after } = changes(current, edit);
  if (Object.keys(body).length === 0) throw new ApiError(422, "invalid_input", "nothing to change: the key already has these values");

  const entry = await deps.store.audit.append({
    atMs: now(),
    ...actor(who),
    action: "key.limits",
    keyHash: key.hash,
    keyAlias: current.key_alias ?? key.alias,
    teamId: current.team_id ?? key.teamId,
    before,
    after,
    reason: edit.reason || null,
    outcome: "pending",
    message: null,
  });
  const settle = async (outcome: LimitsEditResult["outcome"], message: string | null, confirmed: Record<string, unknown> | null) => {
    await deps.store.audit.settle(entry.id, { outcome, message, after: confirmed ?? after });
    return { auditId: entry.id, outcome, message, before, after: confirmed, propagationNote: PROPAGATION_NOTE };
  };

  try {
    await deps.litellm.updateKey(key.hash, body);
  } catch (e) {
    if (!(e instanceof LiteLLMError)) throw e;
    if (e.kind !== "unreachable" && e.kind !== "server_error") return settle("refused", e.detail ?? e.message, null);
    // A timeout may still have applied: the re-read below tells.
  }
  let reread: KeyInfo;
  try {
    reread = await deps.litellm.keyInfo(key.hash);
  } catch (e) {
    return settle("unreachable", `LiteLLM did not answer to confirm the change: ${(e as Error).message}`, null);
  }
  const confirmed = pick(reread, after);
  const applied = Object.keys(after).every((f) => sameValue(confirmed[f], after[f]));
  if (!applied) {
    const wasUntouched = Object.keys(before).every((f) => sameValue(confirmed[f], before[f]));
    return settle(wasUntouched ? "unreachable" : "unconfirmed", wasUntouched ? "LiteLLM did not apply the change (the key is unchanged)" : "LiteLLM answered, but the key now holds other values than were sent", confirmed);
  }
  if (LIMIT_FIELDS.some((f) => f in after)) {
    const limits = { maxParallelRequests: reread.max_parallel_requests, rpmLimit: reread.rpm_limit, tpmLimit: reread.tpm_limit };
    await deps.store.catalog.recordLimitChange(key.hash, limits, now(), "inflight");
  }
  return settle("applied", null, confirmed);
}

/** The key as LiteLLM holds it now; when that read fails, the attempt is audited before the error goes back. */
async function readOrAudit(deps: { store: Store; litellm: LiteLLMClient }, who: Principal, key: KeyRef, edit: LimitsEdit, now: () => number): Promise<KeyInfo> {
  try {
    return await deps.litellm.keyInfo(key.hash);
  } catch (e) {
    if (!(e instanceof LiteLLMError)) throw e;
    const requested = Object.fromEntries(LIMIT_FIELDS.filter((f) => edit[f] !== undefined).map((f) => [f, edit[f]]));
    await deps.store.audit.append({
      atMs: now(),
      ...actor(who),
      action: "key.limits",
      keyHash: key.hash,
      keyAlias: key.alias,
      teamId: key.teamId,
      before: null,
      after: edit.metadata ? { ...requested, metadata: edit.metadata } : requested,
      reason: edit.reason || null,
      outcome: e.kind === "unreachable" || e.kind === "server_error" ? "unreachable" : "refused",
      message: e.detail ?? e.message,
    });
    if (e.kind === "not_found") throw new ApiError(404, "not_found", `LiteLLM has no key ${key.hash.slice(0, 8)}… any more (deleted on the proxy?)`);
    throw e;
  }
}

/** The request body (only what differs; metadata merged whole) and the before/after of those fields. */
function changes(current: KeyInfo, edit: LimitsEdit) {
  const body: KeyLimitsUpdate = {};
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const f of LIMIT_FIELDS) {
    const want = edit[f];
    if (want === undefined || sameValue(current[f], want)) continue;
    body[f] = want;
    before[f] = current[f];
    after[f] = want;
  }
  if (edit.metadata) {
    // LiteLLM replaces the stored metadata with what is sent: send the whole object, merged.
    const merged: Record<string, unknown> = { ...current.metadata };
    for (const [k, v] of Object.entries(edit.metadata)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    if (!sameValue(merged, current.metadata)) {
      body.metadata = merged;
      // The trail keeps only the entries asked about: the rest of a key's metadata may hold
      // credentials (per-key logging keys) that viewers and the CSV must not see.
      const asked = Object.keys(edit.metadata);
      before.metadata = Object.fromEntries(asked.map((k) => [k, current.metadata[k] ?? null]));
      after.metadata = Object.fromEntries(asked.map((k) => [k, merged[k] ?? null]));
    }
  }
  return { body, before, after };
}

/** The re-read key's values of the fields changed (of metadata, only the entries asked about). */
function pick(info: KeyInfo, after: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(after).map((f) => {
      if (f !== "metadata") return [f, (info as Record<string, unknown>)[f] ?? null];
      const asked = Object.keys(after.metadata as Record<string, unknown>);
      return [f, Object.fromEntries(asked.map((k) => [k, info.metadata[k] ?? null]))];
    }),
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a ?? null)) === JSON.stringify(canonical(b ?? null));
}

/** Objects with sorted keys, so two equal metadata objects compare equal whatever their key order. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}

function actor(who: Principal) {
  return { actorKind: who.kind, actorId: who.id, actorLabel: who.label } as const;
}
