import { canSeeTeam, type Principal } from "@/lib/accounts/roles";
import type { BurstRunRow } from "@/lib/burst/repository";
import { ApiError } from "@/lib/http/api-error";
import type { App } from "@/lib/server/app";

/** The run a route's `[id]` names, or a 404 (also for a run on a key outside a team-limited caller's teams). */
export async function burstRunFromParams(a: App, params: Promise<{ id: string }>, who: Pick<Principal, "teams">): Promise<BurstRunRow> {
  const { id } = await params;
  const run = /^[A-Za-z0-9_-]{1,40}$/.test(id) ? await a.store.bursts.get(id) : null;
  if (!run || !canSeeTeam(who, run.teamId)) throw new ApiError(404, "not_found", `No burst test ${id.slice(0, 40)}`);
  return run;
}

/** The burst service, or why burst tests are off (409). */
export function burstService(a: App) {
  if (!a.bursts) throw new ApiError(409, "read_only", a.writesDisabled ?? "No LiteLLM proxy is configured");
  return a.bursts;
}
