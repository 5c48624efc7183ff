// Which of the proxy's limits a proxy-side 429 (a failure row with startTime == endTime and error
// code "429", docs/litellm-reference.md §4.3, §9.7) hit, read from the row's error text. The
// limiter rejects for the key's max_parallel_requests, but also for its rpm and tpm limits and for
// team, user, end-user and per-model limits; only the first is a concurrency rejection.
import type { CountField } from "../concurrency/counts";

/**
 * The stored limit type: `max_parallel_requests`, `rpm`, `tpm` for the key's own limits;
 * `<scope>_<max_parallel_requests|rpm|tpm>` for another scope's (`team_rpm`, `model_per_key_tpm`,
 * `end_user_max_parallel_requests`, ...); `legacy` for the v1 limiter's text; `unknown` for a 429
 * whose text is neither.
 */
export type LimitType = string;

/** How the series and /metrics count a limit type: concurrency rejections, the key's rpm and tpm, and everything else. */
export type LimitKind = "max_parallel_requests" | "rpm" | "tpm" | "other";

/** The descriptor of the key's own limits in the v3 limiter (`{api_key:<hash>}:…`). */
const KEY_SCOPE = "api_key";

/** The v3 limiter's `rate_limit_type` names, as Inflight stores them. */
const V3_TYPES: Record<string, string> = { max_parallel_requests: "max_parallel_requests", requests: "rpm", tokens: "tpm" };

// v3 `_handle_rate_limit_error` (parallel_request_limiter_v3.py; §2.6, §9.5):
//   "Rate limit exceeded for {descriptor_key}: {descriptor_value}. Limit type: {rate_limit_type}. Current limit: …"
// The spend row's error_message is that detail, usually behind "429: " (Starlette's str of the
// HTTPException). The value may hold colons and dots (`<hash>:gpt-4.1`), so it is skipped lazily
// up to the ". Limit type: " that follows it.
const V3 = /Rate limit exceeded for ([a-z][a-z0-9_]*): .*?\. Limit type: ([a-z_]+)\b/s;

// v1 `_PROXY_MaxParallelRequestsHandler` (§2.5): "LiteLLM Rate Limit Handler for rate limit type = key.
// Crossed TPM / RPM / Max Parallel Request Limit. current rpm: …" or, when a limit is 0, "Max
// parallel request limit reached …". Neither says which limit was hit.
const V1 = /Crossed TPM \/ RPM \/ Max Parallel Request Limit|Max parallel request limit reached/;

/** The limit type a proxy-side 429's error message names. Pure. */
export function limitTypeOf(message: string | null | undefined): LimitType {
  if (!message) return "unknown";
  const v3 = V3.exec(message);
  if (v3) {
    const type = V3_TYPES[v3[2]];
    if (type === undefined) return "unknown";
    return v3[1] === KEY_SCOPE ? type : `${v3[1]}_${type}`;
  }
  // Legacy 429s are kept apart and never counted as concurrency rejections: the text names no
  // limit type (admission needs requests, tpm and rpm all under their limits, and the message
  // lists the three counters of a worker-local, per-minute dict that forgets requests crossing a
  // minute), so a max_parallel_requests rejection cannot be told from an rpm or tpm one.
  if (V1.test(message)) return "legacy";
  return "unknown";
}

/** How a limit type is counted: only the key's own max_parallel_requests is a concurrency rejection. Pure. */
export function limitKind(type: LimitType): LimitKind {
  return type === "max_parallel_requests" || type === "rpm" || type === "tpm" ? type : "other";
}

/** The count (lib/concurrency/counts.ts) a 429 of each kind adds to, in the series and the /metrics counters. */
export const COUNTED_IN: Record<LimitKind, Exclude<CountField, "admitted">> = {
  max_parallel_requests: "rejected",
  rpm: "rejectedRpm",
  tpm: "rejectedTpm",
  other: "rejectedOther",
};
