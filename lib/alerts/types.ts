import { z } from "zod";

/** What Inflight detects (lib/alerts/detect): each a pure function over stored truth, belief and limit history. */
export const DETECTORS = ["exceeded", "stuck", "multiplied", "drift"] as const;
export const DetectorSchema = z.enum(DETECTORS);
export type Detector = z.infer<typeof DetectorSchema>;

/** The webhook's `event` per detector, in the spirit of LiteLLM's own alert webhook; `.resolved` and `.past` follow it. */
export const DETECTOR_EVENTS: Record<Detector, string> = {
  exceeded: "concurrency_limit_exceeded",
  stuck: "limiter_stuck",
  multiplied: "limit_multiplied",
  drift: "counter_drift",
};

export const DETECTOR_LABELS: Record<Detector, string> = {
  exceeded: "Limit exceeded",
  stuck: "Limiter stuck",
  multiplied: "Limit multiplied",
  drift: "Counter drift",
};

/**
 * The moment in an alert's life a notification tells of: it started firing, it is still firing
 * (a repeat), it resolved, or it was found only after it ended (late truth: one message, never a
 * fire followed at once by a resolve).
 */
export const PHASES = ["firing", "repeat", "resolved", "past"] as const;
export type Phase = (typeof PHASES)[number];

/** The webhook event of a detector at a phase: `limiter_stuck`, `limiter_stuck.resolved`, `limiter_stuck.past`. */
export function eventName(detector: Detector, phase: Phase): string {
  const base = DETECTOR_EVENTS[detector];
  return phase === "resolved" || phase === "past" ? `${base}.${phase}` : base;
}

/** One notification of one alert, as every channel renders it. Plain data: no secrets. */
export interface AlertNotification {
  /** The outbox row's id: stable across retries (the webhook's `webhook-id`). */
  id: string;
  /** The alert's id: stable over the episode (PagerDuty's `dedup_key`). */
  alertId: string;
  detector: Detector;
  phase: Phase;
  /** eventName(detector, phase). */
  event: string;
  ruleName: string;
  keyHash: string;
  keyAlias: string | null;
  teamId: string | null;
  /** The max_parallel_requests in force during the episode (null: none). */
  limit: number | null;
  /** Most requests in flight in the episode (exceeded, multiplied), or LiteLLM's count (stuck, drift). */
  peak: number | null;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; null while it is still going on. */
  endedAt: string | null;
  /** What happened, in plain words, one or two sentences. */
  summary: string;
  /** The key's chart over the episode's range. */
  url: string;
  /** INFLIGHT_ENVIRONMENT (e.g. "production"), null when unset. */
  environment: string | null;
  /** True for a channel's test message (the Test button): not about a real key. */
  test?: boolean;
}

/** The outcome of one delivery attempt. */
export interface SendResult {
  ok: boolean;
  /** HTTP status, null when no answer came (refused target, network error, timeout). */
  status: number | null;
  latencyMs: number;
  /** Why it failed, readable, never holding a secret; null on success. */
  error: string | null;
  /** The receiver's Retry-After, in ms, when it gave one. */
  retryAfterMs: number | null;
  /** Retrying cannot help (a refused target, a 4xx other than 408/409/425/429): do not retry. */
  permanent: boolean;
}
