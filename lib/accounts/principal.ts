import { ApiError } from "../http/api-error";
import type { Store } from "../store/store";
import { findToken } from "./api-tokens";
import type { Auth } from "./auth";
import { isRole, parseTeams, type Principal, type Role } from "./roles";

/** The bearer value of an Authorization header, or null. */
export function bearer(headers: Headers): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return m ? m[1] : null;
}

/**
 * Who sent these headers: an API token (Authorization: Bearer) or a browser session (cookie).
 * A bearer value that is no live token is refused outright, never treated as signed out.
 */
export async function principalOf(headers: Headers, deps: { store: Store; auth: Auth }): Promise<Principal | null> {
  const token = bearer(headers);
  if (token !== null) {
    const row = await findToken(deps.store.tokens, token);
    if (!row) throw new ApiError(401, "unauthenticated", "This API token is unknown or revoked");
    return { kind: "token", id: String(row.id), label: `token ${row.name}`, role: row.scope, teams: null };
  }
  const session = await deps.auth.api.getSession({ headers });
  if (!session) return null;
  const user = session.user as typeof session.user & { role?: string | null; teams?: string | null };
  const role: Role = isRole(user.role) ? user.role : "viewer";
  return { kind: "user", id: user.id, label: user.email, role, teams: role === "admin" ? null : parseTeams(user.teams) };
}

/** The principal, or a 401 (signed out) / 403 (role too low) for the API. */
export function requireRole(p: Principal | null, role: Role): Principal {
  if (!p) throw new ApiError(401, "unauthenticated", "Sign in to Inflight first (or send an API token as Authorization: Bearer <token>)");
  if (role === "admin" && p.role !== "admin") throw new ApiError(403, "forbidden", "Only an admin may do this; you are signed in as a viewer");
  return p;
}

/**
 * CSRF: a write carried by a browser's cookie must come from Inflight's own pages. Browsers send
 * Origin on every cross-site POST; a request without Origin or Sec-Fetch-Site is no browser's
 * (scripts use tokens, which no other site can attach).
 */
export function checkOrigin(headers: Headers, trustedOrigins: string[]): void {
  if (bearer(headers) !== null) return;
  const origin = headers.get("origin");
  const site = headers.get("sec-fetch-site");
  if (origin !== null ? !sameOrigin(origin, headers, trustedOrigins) : site !== null && site !== "same-origin") {
    throw new ApiError(403, "cross_origin", "Refused: this write did not come from Inflight's own pages");
  }
}

/** The Origin is Inflight's public URL, or the host the request was sent to (another name for the same server). */
function sameOrigin(origin: string, headers: Headers, trustedOrigins: string[]): boolean {
  if (trustedOrigins.includes(origin)) return true;
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  try {
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}
