/**
 * Redis key names LiteLLM's limiters write (docs/litellm-reference.md §2.1, §2.5). Shared by the reader and its tests so a
 * typo cannot make both agree on a name LiteLLM never uses.
 */

/** v3 `create_rate_limit_keys`: `{api_key:<hash>}:<type>`; the braces are a Redis Cluster hash tag. */
export const counterKey = (hash: string, type: "max_parallel_requests" | "requests" | "tokens"): string =>
  `{api_key:${hash}}:${type}`;

/** v3 window key: epoch seconds (proxy clock) at which the current rpm/tpm/parallel window started. */
export const windowKey = (hash: string): string => `{api_key:${hash}}:window`;

/**
 * v1 per-minute key `<hash>::YYYY-MM-DD-HH-MM::request_count`. v1 names it from the proxy's local clock,
 * which is UTC in LiteLLM's Docker image; we can only assume UTC.
 */
export function legacyMinuteKey(hash: string, atMs: number): string {
  const iso = new Date(atMs).toISOString();
  return `${hash}::${iso.slice(0, 10)}-${iso.slice(11, 13)}-${iso.slice(14, 16)}::request_count`;
}

/** PARALLEL_REQUEST_SLOT_TTL_SECONDS (era C): slots at least this old are pruned, so no longer counted. */
export const SLOT_TTL_S = 3600;
