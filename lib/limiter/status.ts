/**
 * Turns a limiter-key discovery into the sentence the UI shows (pure). No keys is only proof of an
 * in-memory limiter when limited keys had traffic recently: LiteLLM's keys vanish when idle (era B
 * counters expire after the window, an era C gauge is deleted when its last slot is released).
 */
import type { LimiterKeyDiscovery } from "./discovery";

export interface LimiterStatus {
  /** ok: LiteLLM's view is visible; invisible: it is not (or probably not); unknown: the scan could not tell. */
  state: "ok" | "invisible" | "unknown";
  message: string;
}

export const IN_MEMORY_MESSAGE =
  "Redis holds no limiter keys: the proxy runs its limiter in process memory, per worker, invisible from outside";

export function limiterStatus(
  d: LimiterKeyDiscovery,
  /** Whether keys with a limit had requests in the last window (from Inflight's own truth); undefined = not known. */
  recentTraffic?: boolean,
): LimiterStatus {
  if (d.found > 0) {
    const count = `${d.complete ? "" : "at least "}${d.found} limiter key${d.found === 1 ? "" : "s"}`;
    return { state: "ok", message: `Redis holds ${count}: LiteLLM's own view of concurrency is sampled live` };
  }
  if (!d.complete) {
    return {
      state: "unknown",
      message: `No limiter keys among the first ~${d.scanned.toLocaleString("en-US")} Redis keys; the scan stops there, so this is not conclusive`,
    };
  }
  if (recentTraffic) return { state: "invisible", message: IN_MEMORY_MESSAGE };
  return {
    state: "invisible",
    message: `${IN_MEMORY_MESSAGE} (or no key with a limit has had a request lately: LiteLLM's keys expire when idle)`,
  };
}
