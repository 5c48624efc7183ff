/** How a key stands, worst first in this order when two keys tie on peak / limit. */
export type KeyStatus = "stuck" | "exceeding" | "exceeded" | "ok" | "no-limit" | "no-traffic";

export const STATUS_LABELS: Record<KeyStatus, string> = {
  stuck: "limiter stuck",
  exceeding: "exceeding",
  exceeded: "exceeded earlier",
  ok: "within limit",
  "no-limit": "no limit set",
  "no-traffic": "no traffic",
};

export const STATUS_HELP: Record<KeyStatus, string> = {
  stuck: "The proxy rejects this key's requests (429) while nothing of it is in flight: its limiter holds slots no request is using",
  exceeding: "More requests in flight than max_parallel_requests in the last 5 minutes",
  exceeded: "Above its limit earlier in the chosen range, not in the last 5 minutes",
  ok: "Never above max_parallel_requests in the chosen range",
  "no-limit": "max_parallel_requests is not set on this key: the proxy does not bound its concurrency",
  "no-traffic": "No request from this key in the chosen range",
};

export interface StatusInput {
  limit: number | null;
  /** Over the range. */
  peak: number;
  admitted: number;
  rejected: number;
  /** Over the last few minutes of stored truth. */
  recentPeak: number;
  recentRejected: number;
  /** LiteLLM's latest belief, when sampled. */
  believed: number | null;
}

/** Pure. "Stuck" is #20256/#1477: 429s while nothing is in flight (and, when visible, LiteLLM believing the key full). */
export function keyStatus(s: StatusInput): KeyStatus {
  if (s.admitted === 0 && s.rejected === 0) return "no-traffic";
  if (s.limit !== null && s.recentRejected > 0 && s.recentPeak === 0 && (s.believed === null || s.believed >= s.limit)) return "stuck";
  if (s.limit === null) return "no-limit";
  if (s.recentPeak > s.limit) return "exceeding";
  if (s.peak > s.limit) return "exceeded";
  return "ok";
}

const ORDER: Record<KeyStatus, number> = { stuck: 0, exceeding: 1, exceeded: 2, ok: 3, "no-limit": 4, "no-traffic": 5 };

/** Worst first: peak / limit descending, keys without a limit or traffic last. */
export function severity(s: { status: KeyStatus; peak: number; limit: number | null }): number {
  if (s.status === "stuck") return Number.POSITIVE_INFINITY;
  if (s.limit === null || s.limit === 0 || s.status === "no-traffic") return -ORDER[s.status];
  return s.peak / s.limit;
}
