import { percentile } from "../stats/percentile";
import type { BurstRequest } from "./verdict";

export interface Latency {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** Latency (send to end, ms, as the client timed it) quantiles of the requests that ended with this status. */
export function latency(requests: readonly BurstRequest[], status: number): Latency {
  const ms = requests.filter((r) => r.status === status).map((r) => r.endMs - r.sentMs);
  return { count: ms.length, p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), p99: percentile(ms, 0.99), max: percentile(ms, 1) };
}
