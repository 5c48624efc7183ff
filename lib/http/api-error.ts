import { z } from "zod";
import { LiteLLMError } from "../litellm/errors";
import { ConfigError } from "../config/env";

/** Error codes the read/write API answers with; the browser shows `message` as is. */
export type ApiErrorCode =
  | "invalid_input"
  | "not_found"
  | "not_configured"
  | "litellm_unreachable"
  | "litellm_rejected"
  | "litellm_error"
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
  return new ApiError(500, "internal", "Internal error; see the server log");
}
