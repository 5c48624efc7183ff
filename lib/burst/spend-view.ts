// The proxy's own view of a burst: its spend-log rows for the run's admitted requests (matched by
// the call id each request carried), read once the proxy has flushed them. The proxy's clock is
// the proof; the client's timings include the network both ways.
import type { SpendLogSource } from "../ingest/source";
import { loggedIntervals } from "../tracker/logged-rows";
import { sleep } from "./sleep";
import { admittedPeak, type BurstRequest } from "./verdict";

export interface SpendLogView {
  /** "awaiting": rows still to come; "complete": every admitted request has its row; "partial": waited long enough, some never came. */
  state: "awaiting" | "complete" | "partial";
  /** Admitted requests, and how many of them have a row. */
  expected: number;
  found: number;
  /** Most of them in flight at one instant by the proxy's startTime and endTime, when, and who. */
  peak: number;
  peakAtMs: number | null;
  peakIds: string[];
  /** Median of (proxy start − client send) over the requests with a row: the clocks' offset plus the way there. */
  offsetMs: number | null;
}

interface LoggedCall {
  callId: string;
  startMs: number;
  endMs: number;
}

/** The view from the rows read so far (pure): only rows of this run's admitted requests count. */
export function spendLogView(requests: readonly BurstRequest[], rows: readonly LoggedCall[], state: SpendLogView["state"]): SpendLogView {
  const admitted = new Map(requests.filter((r) => r.status === 200).map((r) => [r.id, r]));
  const mine = new Map<string, LoggedCall>();
  for (const row of rows) if (admitted.has(row.callId)) mine.set(row.callId, row);
  const asRequests = [...mine.values()].map((row) => ({ ...admitted.get(row.callId)!, sentMs: row.startMs, endMs: row.endMs }));
  const { peak, atMs, ids } = admittedPeak(asRequests);
  const offsets = [...mine.values()].map((row) => row.startMs - admitted.get(row.callId)!.sentMs).sort((a, b) => a - b);
  return {
    state: state === "awaiting" && mine.size === admitted.size ? "complete" : state,
    expected: admitted.size,
    found: mine.size,
    peak,
    peakAtMs: atMs,
    peakIds: ids,
    offsetMs: offsets.length ? offsets[Math.floor(offsets.length / 2)] : null,
  };
}

export interface AwaitOptions {
  /** The key the requests ran on (its hash). */
  keyHash: string;
  /** How long to wait for the proxy's flush at most (its spend-log lag and then some). */
  waitMs: number;
  pollMs: number;
  /** How far the proxy's clock may be off: the read window is that much wider on both sides. */
  skewMs: number;
  signal?: AbortSignal;
  /** Told after every read that leaves rows to come. */
  onWaiting?(v: SpendLogView): void | Promise<void>;
}

/**
 * Reads the key's spend-log rows around the burst until every admitted request has its row, or
 * until `waitMs` has passed ("partial"), or the signal aborts (the view so far, still "awaiting").
 */
export async function awaitSpendLogs(source: SpendLogSource, requests: readonly BurstRequest[], o: AwaitOptions): Promise<SpendLogView> {
  const sent = requests.filter((r) => r.status === 200);
  if (!sent.length) return spendLogView(requests, [], "complete");
  const fromMs = Math.min(...sent.map((r) => r.sentMs)) - o.skewMs;
  const toMs = Math.max(...sent.map((r) => r.endMs)) + o.skewMs;
  const deadline = Date.now() + o.waitMs;
  for (;;) {
    const rows: LoggedCall[] = [];
    for await (const page of source.pages({ fromMs, toMs, order: "startAsc", keyHash: o.keyHash })) {
      for (const r of loggedIntervals(page.rows)) rows.push(r);
    }
    const view = spendLogView(requests, rows, "awaiting");
    if (view.state === "complete") return view;
    if (Date.now() + o.pollMs > deadline) return { ...view, state: "partial" };
    if (o.signal?.aborted) return view;
    await o.onWaiting?.(view);
    await sleep(o.pollMs, o.signal);
    if (o.signal?.aborted) return view;
  }
}
