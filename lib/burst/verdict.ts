/**
 * A burst test's verdict from what the client saw, pure: whether a key's max_parallel_requests held
 * when N requests were fired at once, each holding its slot for a while.
 */

/** One request of a burst, timed by the client (epoch ms). */
export interface BurstRequest {
  /** The call id the client sent (`x-litellm-call-id`): how the proxy's spend logs name it. */
  id: string;
  /** Which round of the burst it belongs to (0 for a single burst). */
  round: number;
  sentMs: number;
  /** When the response headers came; null when none came (a network error). */
  headersMs: number | null;
  endMs: number;
  /** HTTP status; 0 for a network error or a cancel. */
  status: number;
  /** For a 429: `retry-after` and `rate_limit_type` as the proxy sent them. */
  retryAfter: string | null;
  rateLimitType: string | null;
  /** For a success: the limiter's `x-ratelimit-api_key-*` headers. */
  rateLimitHeaders: Record<string, string>;
  /** For a success: whether the answer was the mock (false: it reached the provider and cost tokens). */
  mocked?: boolean;
}

export type Verdict = "PASS" | "FAIL-leaky" | "FAIL-stuck" | "FAIL-multiplied" | "INCONCLUSIVE";

export interface BurstVerdict {
  verdict: Verdict;
  /** Why, in words (the reason of an INCONCLUSIVE, the evidence of a FAIL). */
  reasons: string[];
  sent: number;
  admitted: number;
  rejected: number;
  /** Neither admitted nor a 429: upstream errors, network errors, cancels. */
  other: number;
  /** Most admitted requests in flight at one instant, from the client's timings. */
  peak: number;
  /** When that was, and the requests in flight then (oldest first). */
  peakAtMs: number | null;
  peakIds: string[];
}

/**
 * The most admitted requests in flight at one instant (each from its send to its end), the instant,
 * and who they were. An end at the same instant as a start is counted first (no overlap).
 */
export function admittedPeak(requests: readonly BurstRequest[]): { peak: number; atMs: number | null; ids: string[] } {
  const ok = requests.filter((r) => r.status === 200);
  const edges = ok.flatMap((r) => [
    { t: r.sentMs, d: 1 },
    { t: r.endMs, d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let n = 0;
  let peak = 0;
  let atMs: number | null = null;
  for (const e of edges) {
    n += e.d;
    if (n > peak) {
      peak = n;
      atMs = e.t;
    }
  }
  const ids = atMs === null ? [] : ok.filter((r) => r.sentMs <= atMs! && r.endMs > atMs!).sort((a, b) => a.sentMs - b.sentMs).map((r) => r.id);
  return { peak, atMs, ids };
}

/** Whether `peak` sits at a whole multiple (2× or more) of the limit: per-worker or per-replica counting. */
function nearMultiple(peak: number, limit: number): number | null {
  const k = Math.round(peak / limit);
  return k >= 2 && Math.abs(peak - k * limit) <= Math.max(0, Math.floor(limit / 4)) ? k : null;
}

/** The counts and the client's peak of a burst (none for a burst never fired). */
export function burstCounts(requests: readonly BurstRequest[]): Omit<BurstVerdict, "verdict" | "reasons"> {
  const admitted = requests.filter((r) => r.status === 200).length;
  const rejected = requests.filter((r) => r.status === 429).length;
  const { peak, atMs, ids } = admittedPeak(requests);
  return { sent: requests.length, admitted, rejected, other: requests.length - admitted - rejected, peak, peakAtMs: atMs, peakIds: ids };
}

/** No verdict, for this reason (a burst not fired, cancelled, or whose evidence cannot decide). */
export function inconclusive(requests: readonly BurstRequest[], reason: string): BurstVerdict {
  return { ...burstCounts(requests), verdict: "INCONCLUSIVE", reasons: [reason] };
}

/** The verdict for a burst of `requests` against a key with `limit` max_parallel_requests. */
export function burstVerdict(requests: readonly BurstRequest[], limit: number): BurstVerdict {
  const base = burstCounts(requests);
  const { admitted, rejected, other, peak, peakIds: ids } = base;
  const inconclusive = (reason: string): BurstVerdict => ({ ...base, verdict: "INCONCLUSIVE", reasons: [reason] });

  if (requests.length <= limit) return inconclusive(`${requests.length} requests cannot exceed a limit of ${limit}: send more than the limit`);
  const unmocked = requests.filter((r) => r.status === 200 && r.mocked === false).length;
  if (unmocked > 0) {
    return inconclusive(
      `${unmocked} admitted requests were not answered with the mock: they reached the provider (tokens spent), and mock_delay did not hold their slots; a proxy worker may still have cached the key without allow_client_mock_response`,
    );
  }
  const otherLimits = [...new Set(requests.filter((r) => r.status === 429 && r.rateLimitType !== null && r.rateLimitType !== "max_parallel_requests").map((r) => r.rateLimitType))];
  if (otherLimits.length) {
    return inconclusive(`429s came from other limits too (${otherLimits.join(", ")}): they hide what max_parallel_requests did; test with a key (or twin) whose rpm and tpm limits allow the burst`);
  }
  if (other > 0) {
    const statuses = [...new Set(requests.filter((r) => r.status !== 200 && r.status !== 429).map((r) => r.status || "network error"))].join(", ");
    return inconclusive(`${other} requests ended neither admitted nor with a 429 (${statuses}): upstream or network errors hide what the limiter did`);
  }
  // More admitted than the limit, never more than it at once: some ended before others were let in,
  // so the limit was never put to the test.
  if (admitted > limit && peak <= limit) {
    return inconclusive(`${admitted} requests were admitted but at most ${peak} at once: they were too short to overlap; hold each longer (--hold)`);
  }
  if (peak > limit) {
    // Every round kept to the limit, yet requests of several rounds ran together: the count restarted
    // while earlier requests still ran (a windowed counter that rolled over, LiteLLM #16011).
    const rounds = new Set(requests.filter((r) => ids.includes(r.id)).map((r) => r.round));
    const perRound = Math.max(...[...new Set(requests.map((r) => r.round))].map((round) => admittedPeak(requests.filter((r) => r.round === round)).peak));
    if (rounds.size > 1 && perRound <= limit) {
      return {
        ...base,
        verdict: "FAIL-leaky",
        reasons: [
          `${peak} requests of ${rounds.size} rounds ran at once against a limit of ${limit} (${peak - limit} over), though no round got more than ${perRound} in`,
          "the limiter forgot requests still running when its window rolled over (a windowed counter: LiteLLM #16011)",
        ],
      };
    }
    const k = nearMultiple(peak, limit);
    if (k !== null) {
      return {
        ...base,
        verdict: "FAIL-multiplied",
        reasons: [
          `${peak} requests were admitted at once, about ${k}× the limit of ${limit}`,
          `each of ${k} proxy workers or replicas counts the limit on its own: LiteLLM keeps no shared limiter state (set up a Redis for the proxy's limiter)`,
        ],
      };
    }
    return { ...base, verdict: "FAIL-leaky", reasons: [`${peak} requests were admitted at once against a limit of ${limit} (${peak - limit} over)`] };
  }
  if (admitted < Math.min(requests.length, limit)) {
    return {
      ...base,
      verdict: "FAIL-stuck",
      reasons: [`only ${admitted} of ${requests.length} requests were admitted against a limit of ${limit}, with nothing else of this test in flight: the limiter holds slots no request uses (leaked)`],
    };
  }
  return { ...base, verdict: "PASS", reasons: [`at most ${peak} requests ran at once against a limit of ${limit}; ${rejected} were refused with a 429`] };
}
