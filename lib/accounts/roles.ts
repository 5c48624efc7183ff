/** Inflight's two roles: a viewer sees everything but secrets; an admin also changes things. */
export const ROLES = ["viewer", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(v: unknown): v is Role {
  return v === "viewer" || v === "admin";
}

/** Who is asking: a signed-in account or an API token. */
export interface Principal {
  kind: "user" | "token";
  /** The account's id, or the token's. */
  id: string;
  /** What the audit trail and the page call it: the account's email, or the token's name. */
  label: string;
  role: Role;
  /** LiteLLM team ids this principal may see; null: every team. */
  teams: string[] | null;
}

/** Whether a principal may see a key of this team (a team-limited viewer never sees keys outside its teams). */
export function canSeeTeam(p: Pick<Principal, "teams">, teamId: string | null): boolean {
  return p.teams === null || (teamId !== null && p.teams.includes(teamId));
}

/** A user row's `teams` column (a JSON array, or null for every team), read defensively. */
export function parseTeams(raw: unknown): string[] | null {
  if (raw === null || raw === undefined || raw === "") return null;
  try {
    const v: unknown = typeof raw === "string" ? JSON.parse(raw) : raw;
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === "string") : null;
  } catch {
    return []; // unreadable: see nothing rather than everything
  }
}

export function serializeTeams(teams: string[] | null): string | null {
  return teams === null ? null : JSON.stringify([...new Set(teams)].sort());
}
