// Whether the proxy writes its 429s to the spend logs. LiteLLM's production guide suggests
// `disable_error_logs: true`, which leaves limiter rejections out of the spend logs: Inflight's
// 429 counts (and the stuck detection built on them) then see nothing. The tracker counts every
// limiter rejection in the proxy itself, so minutes in which it saw 429s of a key that the stored
// spend logs lack say so. Pure.

/** Limiter 429s per key hash and minute (epoch s, minute-aligned). */
export type MinuteCounts = Map<string, Map<number, number>>;

export interface ErrorLogCheck {
  /** Key-minutes compared (the tracker saw 429s there, and the spend logs for it are settled). */
  compared: number;
  /** Of those, minutes where the spend logs hold no 429 of the key at all. */
  missing: number;
  /** "missing": 429s go unlogged (disable_error_logs, or failed error logging); "present": they are logged; "unknown": nothing to compare yet. */
  verdict: "missing" | "present" | "unknown";
}

/**
 * Compares the tracker's rejections with the stored 429s (every limit type) of the same key-minutes.
 * A minute counts as missing only when the spend logs hold no 429 of the key in it: the two sides
 * are counted differently (fallbacks, limit types), so only a total absence is a finding.
 */
export function checkErrorLogs(tracked: MinuteCounts, stored: MinuteCounts): ErrorLogCheck {
  let compared = 0;
  let missing = 0;
  for (const [hash, minutes] of tracked) {
    for (const [minute, n] of minutes) {
      if (n <= 0) continue;
      compared++;
      if (!(stored.get(hash)?.get(minute) ?? 0)) missing++;
    }
  }
  return { compared, missing, verdict: verdictOf(compared, missing) };
}

/** Most minutes with tracked 429s but no logged one: not a stray row lost by a retry. */
export function verdictOf(compared: number, missing: number): ErrorLogCheck["verdict"] {
  return compared === 0 ? "unknown" : missing * 2 > compared ? "missing" : "present";
}
