import { canSeeTeam } from "@/lib/accounts/roles";
import type { RuleScope } from "@/lib/alerts/repository";
import type { Access } from "./handle";

/** What the admin verbs of lib/alerts/manage.ts need from a route's access. */
export function alertingDeps({ app, principal }: Access) {
  return { alerts: app.store.alerts, audit: app.store.audit, actor: principal, allowedHosts: app.config.ALERT_ALLOWED_HOSTS };
}

/** A dynamic route's `[id]`. */
export type IdParams = { params: Promise<{ id: string }> };

/**
 * What of alerting a caller may see of other teams: nothing. A rule or silence scoped to a team or
 * a key shows only to callers who see that team; one for every key (or only a rule) to all.
 */
export async function visibleToCaller({ app, principal }: Access) {
  if (principal.teams === null) return () => true;
  const teamOfKey = new Map((await app.store.catalog.listedKeys()).map((k) => [k.hash, k.teamId]));
  return (scope: { teamId?: string | null; keyHash?: string | null }) =>
    (!scope.teamId || canSeeTeam(principal, scope.teamId)) && (!scope.keyHash || canSeeTeam(principal, teamOfKey.get(scope.keyHash) ?? null));
}

/** A rule's scope as the team and key it names. */
export const scopeFields = (scope: RuleScope) => ({ teamId: scope.kind === "team" ? scope.teamId : null, keyHash: scope.kind === "key" ? scope.keyHash : null });
