import type { Role } from "./roles";

/** How the identity provider's groups become a role and teams (INFLIGHT_OIDC_* settings). */
export interface GroupRules {
  adminGroups: string[];
  /** group → LiteLLM team id */
  teamGroups: Map<string, string>;
  /** When not empty, only these groups (or an admin or team group) may sign in. */
  viewerGroups: string[];
}

export type GroupAccess = { role: Role; teams: string[] | null } | { refused: string };

/** Parses "group=team" pairs (validated by the config). */
export function teamGroupMap(pairs: string[]): Map<string, string> {
  return new Map(pairs.map((p) => p.split("=").map((s) => s.trim()) as [string, string]));
}

/**
 * The access a member of these groups gets, decided again at every sign-in so a group change at
 * the provider takes effect: an admin group makes an admin (every team); team groups make a
 * viewer of those teams only; otherwise a viewer of every team, unless viewer groups are set and
 * none matches.
 */
export function accessFromGroups(groups: string[], rules: GroupRules): GroupAccess {
  if (groups.some((g) => rules.adminGroups.includes(g))) return { role: "admin", teams: null };
  const teams = [...new Set(groups.flatMap((g) => (rules.teamGroups.has(g) ? [rules.teamGroups.get(g)!] : [])))].sort();
  if (teams.length > 0) return { role: "viewer", teams };
  if (rules.viewerGroups.length === 0 || groups.some((g) => rules.viewerGroups.includes(g))) return { role: "viewer", teams: null };
  return { refused: "your account is in none of the groups allowed to use Inflight" };
}

/** The `groups` claim as providers send it: an array, or one string (some send a comma list). */
export function groupsClaim(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.filter((g): g is string => typeof g === "string");
  if (typeof raw === "string") return raw.split(",").map((g) => g.trim()).filter(Boolean);
  return [];
}
