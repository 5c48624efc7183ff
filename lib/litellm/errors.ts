/** Why a call to the LiteLLM proxy failed, so callers can word it for the operator. */
export type LiteLLMErrorKind =
  | "unreachable" // connection refused, DNS, timeout
  | "unauthorized" // 401/403: wrong or missing master key
  | "not_found"
  | "bad_request" // 400/422: the proxy rejected our parameters
  | "server_error" // 5xx
  | "invalid_response"; // an answer we could not parse

export class LiteLLMError extends Error {
  constructor(
    public readonly kind: LiteLLMErrorKind,
    message: string,
    public readonly status?: number,
    public readonly path?: string,
    /** The proxy's own words, e.g. an upperbound_key_generate_params refusal. */
    public readonly detail?: string,
  ) {
    super(message);
    this.name = "LiteLLMError";
  }

  /** Worth retrying later with back-off (as opposed to a configuration or contract problem). */
  get transient(): boolean {
    return this.kind === "unreachable" || this.kind === "server_error";
  }
}

export function kindForStatus(status: number): LiteLLMErrorKind {
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 404) return "not_found";
  if (status >= 500) return "server_error";
  return "bad_request";
}
