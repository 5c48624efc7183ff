import { z } from "zod";

/** How a key stands, worst first in this order when two keys tie on peak / limit. */
export const KEY_STATUSES = ["stuck", "exceeding", "exceeded", "ok", "no-limit", "no-traffic"] as const;
export const KeyStatusSchema = z.enum(KEY_STATUSES);
export type KeyStatus = z.infer<typeof KeyStatusSchema>;

export const STATUS_LABELS: Record<KeyStatus, string> = {
  stuck: "limiter stuck",
  exceeding: "exceeding",
  exceeded: "exceeded earlier",
  ok: "within limit",
  "no-limit": "no limit set",
  "no-traffic": "no traffic",
};

export const STATUS_HELP: Record<KeyStatus, string> = {
  stuck: "The proxy rejects this key's requests for max_parallel_requests (429) while nothing of it is in flight: its limiter holds slots no request is using",
  exceeding: "More requests in flight than the max_parallel_requests in force, in the last 5 minutes of stored truth",
  exceeded: "Above the max_parallel_requests in force at the time, earlier in the chosen range",
  ok: "Never above the max_parallel_requests in force in the chosen range",
  "no-limit": "max_parallel_requests is not set on this key: the proxy does not bound its concurrency",
  "no-traffic": "No request from this key in the chosen range",
};

export interface StatusInput {
  /** The limit in force now (null: none). */
  limitNow: number | null;
  /** Requests in the range: admitted, rejected for max_parallel_requests, and 429s of the proxy's other limits (absent: none). */
  admitted: number;
  rejected: number;
  limited?: number;
  /** Seconds of the range above the limit in force at each of them: at least one. */
  exceededInRange: boolean;
  /** Seconds of the recent window (the last minutes of stored truth) above the limit in force then. */
  exceededRecently: boolean;
  /** Over the recent window: most in flight, and 429s for max_parallel_requests. */
  recentPeak: number;
  recentRejected: number;
  /** LiteLLM's latest belief, when sampled. */
  believed: number | null;
}

/**
 * Pure. "Stuck" is #27955/#34534: 429s for max_parallel_requests while nothing is in flight (and,
 * when visible, LiteLLM believing the key full); a key at its rpm or tpm limit is not stuck. Exceeding and exceeded compare each second with the limit in force
 * then, so raising a limit after a violation does not hide it.
 */
export function keyStatus(s: StatusInput): KeyStatus {
  if (s.admitted === 0 && s.rejected === 0 && !s.limited) return "no-traffic";
  if (s.limitNow !== null && s.recentRejected > 0 && s.recentPeak === 0 && (s.believed === null || s.believed >= s.limitNow)) return "stuck";
  if (s.exceededRecently) return "exceeding";
  if (s.exceededInRange) return "exceeded";
  if (s.limitNow === null) return "no-limit";
  return "ok";
}

const ORDER: Record<KeyStatus, number> = { stuck: 0, exceeding: 1, exceeded: 2, ok: 3, "no-limit": 4, "no-traffic": 5 };

/**
 * Worst first: stuck, then peak / limit descending, keys without a limit or traffic last. Finite,
 * so it survives JSON (Infinity would arrive as null and sort a stuck key last).
 */
export function severity(status: KeyStatus, peakRatio: number | null): number {
  if (status === "stuck") return Number.MAX_SAFE_INTEGER;
  if (peakRatio === null || status === "no-limit" || status === "no-traffic") return -ORDER[status];
  return peakRatio;
}
