import { z } from "zod";
import { LiteLLMError } from "../litellm/errors";
import { ConfigError } from "../config/env";

/** Error codes the read/write API answers with; the browser shows `message` as is. */
export type ApiErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "cross_origin"
  | "read_only"
  | "conflict"
  | "rate_limited"
  | "invalid_input"
  | "not_found"
  | "not_configured"
  | "litellm_unreachable"
  | "litellm_rejected"
  | "litellm_error"
  | "store_unavailable"
  | "internal";

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Maps any thrown error to a status and a readable body. Unknown errors say little on purpose. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof z.ZodError) {
    const msg = e.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
    return new ApiError(422, "invalid_input", msg);
  }
  if (e instanceof ConfigError) return new ApiError(503, "not_configured", e.message);
  if (e instanceof LiteLLMError) {
    if (e.kind === "unreachable") return new ApiError(503, "litellm_unreachable", e.message);
    if (e.kind === "unauthorized")
      return new ApiError(502, "litellm_rejected", `${e.message} (check LITELLM_MASTER_KEY)`);
    return new ApiError(502, "litellm_error", e.message);
  }
  const down = storeUnavailable(e);
  if (down) return new ApiError(503, "store_unavailable", `Inflight's database is unavailable (${down}); see the server log`);
  return new ApiError(500, "internal", "Internal error; see the server log");
}

// A store that cannot answer now is a 503 (try again), not a bug: the page says so instead of
// "internal error". Only the code goes in the message: the driver's text may name the host.
/** Postgres SQLSTATEs: connection exceptions (class 08), too many connections, shutting down or starting up. */
const PG_UNAVAILABLE = /^(08[0-9A-Z]{3}|53300|57P0[1-3])$/;
/** Socket errors reaching Postgres (pg passes them on as they are). */
const NET_UNAVAILABLE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
/** SQLite: another process held the write lock past busy_timeout, or the file cannot be opened. */
const SQLITE_UNAVAILABLE = new Set(["SQLITE_BUSY", "SQLITE_CANTOPEN"]);
/** pg's pool gives up waiting for a connection with this (no code): the server does not answer. */
const PG_CONNECT_TIMEOUT = "timeout exceeded when trying to connect";

/** Why the store is unreachable (an error code), or null when the error is something else. */
function storeUnavailable(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  if (e.message === PG_CONNECT_TIMEOUT) return "connect timeout";
  const code = (e as { code?: unknown }).code;
  if (typeof code !== "string") return null;
  return PG_UNAVAILABLE.test(code) || NET_UNAVAILABLE.has(code) || SQLITE_UNAVAILABLE.has(code) ? code : null;
}
