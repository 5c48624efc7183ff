// A burst test's report: what was asked, every request as the client timed it, the verdict, and
// once the proxy has flushed them, its spend logs' view, which confirms the verdict or, when the
// two disagree on whether the limit was passed, leaves it INCONCLUSIVE.
import type { SpendLogView } from "./spend-view";
import type { BurstRequest, BurstVerdict, Verdict } from "./verdict";

export interface BurstReport extends BurstVerdict {
  keyHash: string;
  keyAlias: string | null;
  limit: number | null;
  /** Requests per round. */
  n: number;
  holdS: number;
  rounds: number;
  /** Seconds between rounds (0 for one). */
  everyS: number;
  target: "twin" | "key";
  model: string | null;
  startedMs: number;
  endedMs: number;
  requests: BurstRequest[];
  /** The verdict from the client's timings alone (`verdict` and `reasons` are the final word). */
  client: { verdict: Verdict; reasons: string[] };
  /** The proxy's view; null until it is read (and for a burst never fired). */
  spendLogs: SpendLogView | null;
}

/** The report with the proxy's view: the verdict confirmed, or INCONCLUSIVE when the views disagree. */
export function withSpendLogs(r: BurstReport, view: SpendLogView): BurstReport {
  const { verdict, reasons } = r.client;
  const judged = { ...r, spendLogs: view, verdict, reasons };
  if (verdict === "INCONCLUSIVE" || r.limit === null || view.state === "awaiting") return judged;
  const limit = r.limit;
  const clientOver = r.peak > limit;
  const proxyOver = view.peak > limit;
  if (view.state === "partial" && !(clientOver && proxyOver)) {
    return { ...judged, reasons: [...reasons, `the proxy's spend logs hold ${view.found} of the ${view.expected} admitted requests, so its clock cannot confirm this`] };
  }
  if (clientOver === proxyOver) {
    return { ...judged, reasons: [...reasons, `the proxy's spend logs agree: ${view.peak} admitted requests ran at once by its own clock`] };
  }
  // The client's interval of a request holds the proxy's (sent before it started, answered after it
  // ended), so a constant clock offset cannot part the peaks: the network stretching the client's
  // timings can, and so can a proxy clock that drifted or rows timed oddly.
  const offset = view.offsetMs !== null && Math.abs(view.offsetMs) > 1000 ? `; the proxy's clock also reads ${view.offsetMs} ms off the client's` : "";
  return {
    ...judged,
    verdict: "INCONCLUSIVE",
    reasons: [
      `the client saw ${r.peak} admitted requests at once and the proxy's spend logs ${view.peak}, against a limit of ${limit}: the two views disagree (a slow network stretching the client's timings, or the proxy's clock${offset})`,
    ],
  };
}

/**
 * Longer than any Inflight waits for a run's spend logs (its flush lag and then some): a report still
 * awaiting them after this lost its waiter (Inflight restarted) and will not be confirmed.
 */
export const SPEND_LOG_WAIT_BOUND_MS = 15 * 60_000;

/** Whether the proxy's view of this report may still come. */
export function awaitingSpendLogs(r: Pick<BurstReport, "admitted" | "spendLogs" | "endedMs">, now: number): boolean {
  return r.admitted > 0 && (r.spendLogs === null || r.spendLogs.state === "awaiting") && now - r.endedMs < SPEND_LOG_WAIT_BOUND_MS;
}
