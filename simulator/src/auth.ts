/** user_api_key_auth as far as the simulator needs it (§3; messages as observed on live proxies, see README). */
import type { IncomingHttpHeaders } from "node:http";
import { ProxyError } from "./http";
import type { KeyRow, KeyStore } from "./keys";
import { abbreviateKey } from "./util";

export type Principal =
  | { admin: true; hash: string; raw: string; row: null }
  | { admin: false; hash: string; raw: string; row: KeyRow };

function pyStrDatetime(ms: number): string {
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 23)}000+00:00`;
}

const authError = (msg: string) => new ProxyError(401, `Authentication Error, ${msg}`, "auth_error", "None");

export class Auth {
  private masterHash: string;
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
    if (token === this.masterKey) return { admin: true, hash: this.masterHash, raw: token, row: null };
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
    return { admin: false, hash, raw: token, row };
  }

  /** Management and spend routes need the master key (RouteChecks: "Only proxy admin can be used …"). */
  requireAdmin(p: Principal, route: string): void {
    if (p.admin) return;
    throw authError(
      `Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=${route}. Your role=unknown. Your user_id=unknown`,
    );
  }
}
