/** user_api_key_auth as far as the simulator needs it (§3; messages as observed on live proxies, see README). */
import type { IncomingHttpHeaders } from "node:http";
import { ProxyError } from "./http";
import type { KeyRow, KeyStore } from "./keys";
import { abbreviateKey } from "./util";

/** LitellmUserRoles the simulator distinguishes: the master key is proxy_admin; a virtual key has its user's role. */
export type Role = "proxy_admin" | "proxy_admin_viewer";

export type Principal =
  | { admin: true; hash: string; raw: string; row: null; role: "proxy_admin" }
  | { admin: false; hash: string; raw: string; row: KeyRow; role: Role | null };

/** The user that owns the --viewer-key key: LiteLLM ties a role to a user (LiteLLM_UserTable.user_role), not to a key. */
export const VIEWER_USER_ID = "viewer-user";

/** RouteChecks._SAFE_HTTP_METHODS: what a proxy_admin_viewer may call on any non-LLM route (read parity with proxy_admin). */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function pyStrDatetime(ms: number): string {
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 23)}000+00:00`;
}

const authError = (msg: string) => new ProxyError(401, `Authentication Error, ${msg}`, "auth_error", "None");

export class Auth {
  private masterHash: string;
  /** LiteLLM_UserTable as far as roles go: user_id → user_role. Users not in it have no role the simulator models. */
  readonly userRoles = new Map<string, Role>();
  constructor(
    private keys: KeyStore,
    private masterKey: string,
  ) {
    this.masterHash = keys.hashOf(masterKey);
  }

  /** Returns the caller, or throws the 401/400 LiteLLM answers. */
  authenticate(headers: IncomingHttpHeaders, checkBudget: boolean): Principal {
    let header = headers["authorization"];
    if (header === undefined) header = headers["x-litellm-api-key"] as string | undefined;
    if (header === undefined || header === "") throw authError("No api key passed in.");
    let token: string;
    if (header.startsWith("Bearer ")) token = header.slice(7).trim();
    else throw authError("Malformed API Key passed in. Ensure Key has `Bearer ` prefix.");
    if (token === "") throw authError("No api key passed in.");
    if (token === this.masterKey) return { admin: true, hash: this.masterHash, raw: token, row: null, role: "proxy_admin" };
    if (!token.startsWith("sk-")) {
      const abbr = token.length > 8 ? `${token.slice(0, 4)}****${token.slice(-4)}` : "****";
      throw authError(`LiteLLM Virtual Key expected. Received=${abbr}, expected to start with 'sk-'.`);
    }
    const hash = this.keys.hashOf(token);
    const row = this.keys.get(hash);
    if (!row) {
      throw new ProxyError(
        401,
        `Authentication Error, Invalid proxy server token passed. Received API Key = ${abbreviateKey(token)}, Key Hash (Token) =${hash}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``,
        "token_not_found_in_db",
        "key",
      );
    }
    if (row.blocked === true) throw authError("Key is blocked. Update via `/key/unblock` if you're an admin.");
    const now = Date.now();
    if (row.expires !== null && row.expires < now) {
      throw new ProxyError(
        401,
        `Authentication Error - Expired Key. Key Expiry time ${pyStrDatetime(row.expires)} and current time ${pyStrDatetime(now)}`,
        "expired_key",
        "None",
      );
    }
    if (checkBudget && row.max_budget !== null && row.spend >= row.max_budget) {
      throw new ProxyError(400, `Budget has been exceeded! Current cost: ${row.spend}, Max budget: ${row.max_budget}`, "budget_exceeded", "None");
    }
    const role = row.user_id !== null ? (this.userRoles.get(row.user_id) ?? null) : null;
    return { admin: false, hash, raw: token, row, role };
  }

  /**
   * RouteChecks.non_proxy_admin_allowed_routes_check for the management and spend routes the simulator serves.
   * The master key passes. A proxy_admin_viewer key follows `_check_proxy_admin_viewer_access`: a safe method
   * (GET/HEAD/OPTIONS) passes, a write is refused with an HTTPException(403) that user_api_key_auth's exception
   * handler turns into `{"error":{"message": detail, "type":"auth_error","param":"None","code":"403"}}`. Any other
   * virtual key: "Only proxy admin can be used …" (a plain Exception, hence 401 and the "Authentication Error, " prefix).
   */
  checkRoute(p: Principal, method: string, route: string): void {
    if (p.admin) return;
    if (p.role === "proxy_admin_viewer") {
      if (SAFE_METHODS.has(method.toUpperCase())) return;
      // Every write the simulator serves (/key/generate, /key/update, /key/delete, /key/block, /key/unblock) is in
      // RouteChecks._ADMIN_VIEWER_BLOCKED_WRITE_ROUTES; a write outside it passes only when it is listed in
      // admin_viewer_routes, global_spend_tracking_routes or management_routes (read-only POSTs such as
      // /spend/calculate, none served here), else it gets the same final 403.
      throw new ProxyError(403, `user not allowed to access this route, role= ${p.role}. Trying to access: ${route}`, "auth_error", "None");
    }
    throw authError(
      `Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=${route}. Your role=unknown. Your user_id=unknown`,
    );
  }
}

