// One change for every key of a LiteLLM team: previewed key by key (each key's own values now, and
// what the new max_parallel_requests would have done to its last 24 h), then applied key by key
// through the one verb, so each key gets its own audit entry. One key failing does not stop the rest.
import type { Principal } from "../accounts/roles";
import type { LimitsEdit, TeamLimitsPreview, TeamLimitsResult } from "../api/limits";
import { LIMIT_FIELDS } from "../api/limits";
import type { KeyRef } from "../catalog/repository";
import { ApiError } from "../http/api-error";
import type { LiteLLMClient } from "../litellm/client";
import { readSeriesWindow } from "../series/read";
import type { Store } from "../store/store";
import { limitImpact } from "./impact";
import { PROPAGATION_NOTE, updateKeyLimits } from "./update-key-limits";

type Deps = { store: Store; litellm: LiteLLMClient };

/** The keys of a team the proxy lists now, by name; a 404 when there is none. */
async function teamKeys(store: Store, teamId: string): Promise<KeyRef[]> {
  const keys = (await store.catalog.catalogKeys()).filter((k) => k.teamId === teamId).sort((a, b) => (a.alias ?? a.hash).localeCompare(b.alias ?? b.hash));
  if (keys.length === 0) throw new ApiError(404, "not_found", `No key of team ${teamId} is in the proxy's key list`);
  return keys;
}

export async function previewTeamLimits(deps: Deps, teamId: string, edit: LimitsEdit, nowMs = Date.now()): Promise<TeamLimitsPreview> {
  const keys = await teamKeys(deps.store, teamId);
  const toSec = Math.ceil(nowMs / 60_000) * 60; // the minute under way counts too
  const rows = [];
  // One key at a time: a team of hundreds of keys must not fan out hundreds of calls at the proxy.
  for (const k of keys) {
    const [live, window] = await Promise.all([
      deps.litellm.keyInfo(k.hash).then(
        (i) => ({ limits: { max_parallel_requests: i.max_parallel_requests, rpm_limit: i.rpm_limit, tpm_limit: i.tpm_limit }, error: null }),
        (e: Error) => ({ limits: null, error: e.message }),
      ),
      readSeriesWindow(deps.store.series, k.id, toSec - 86_400, toSec, 1440),
    ]);
    const after = live.limits && { ...live.limits, ...Object.fromEntries(LIMIT_FIELDS.filter((f) => edit[f] !== undefined).map((f) => [f, edit[f]])) };
    const impact = limitImpact(
      window.buckets.map((b) => b.maxInFlight),
      after?.max_parallel_requests ?? null,
    );
    rows.push({
      hash: k.hash,
      alias: k.alias,
      before: live.limits,
      after,
      changes: !!live.limits && LIMIT_FIELDS.some((f) => after![f] !== live.limits![f]),
      liveError: live.error,
      peak24h: impact.peak,
      minutesAbove: impact.minutesAbove,
    });
  }
  return { team: teamId, rows };
}

export async function applyTeamLimits(deps: Deps, who: Principal, teamId: string, edit: LimitsEdit): Promise<TeamLimitsResult> {
  const keys = await teamKeys(deps.store, teamId);
  const reason = [edit.reason, `team-wide change of ${teamId}`].filter(Boolean).join(" · ");
  const results: TeamLimitsResult["results"] = [];
  for (const k of keys) {
    try {
      const r = await updateKeyLimits(deps, who, k, { ...edit, reason });
      results.push({ hash: k.hash, alias: k.alias, outcome: r.outcome, message: r.message });
    } catch (e) {
      const nothing = e instanceof ApiError && e.status === 422;
      // Any other failure was audited by the verb (LiteLLM could not be read); say it and go on.
      results.push({ hash: k.hash, alias: k.alias, outcome: nothing ? "unchanged" : "unreachable", message: nothing ? null : (e as Error).message });
    }
  }
  return { team: teamId, results, propagationNote: PROPAGATION_NOTE };
}
