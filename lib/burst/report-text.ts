import { latency } from "./latency";
import type { BurstReport } from "./report";
import type { BurstRequest } from "./verdict";

/** How many request ids the terminal lists at the peak (the JSON report has them all). */
const IDS_SHOWN = 10;

/** "p50 120 ms · p95 2,010 ms · p99 2,030 ms · max 2,041 ms" over the requests with this status; "none" without any. */
function latencies(requests: BurstRequest[], status: number): string {
  const l = latency(requests, status);
  if (!l.count) return "none";
  const f = (v: number | null) => `${Math.round(v!).toLocaleString("en-US")} ms`;
  return `p50 ${f(l.p50)} · p95 ${f(l.p95)} · p99 ${f(l.p99)} · max ${f(l.max)}`;
}

/** The report as the terminal prints it, before the verdict line. */
export function formatReport(r: BurstReport): string {
  const rejected = r.requests.filter((q) => q.status === 429);
  const types = [...new Set(rejected.map((q) => q.rateLimitType).filter((t): t is string => t !== null))];
  const lines = [
    "",
    `key        ${r.keyAlias ?? "(no alias)"} ${r.keyHash}`,
    `limit      max_parallel_requests ${r.limit ?? "none"}`,
    `target     ${r.target === "twin" ? "a temporary twin key (same limits and models)" : "the key itself"} · model ${r.model ?? "?"}`,
    r.requests.length
      ? `burst      ${r.n} requests at once, each holding ${r.holdS} s (mock, zero cost)${r.rounds > 1 ? `, ${r.rounds} rounds ${r.everyS} s apart` : ""}`
      : `burst      not fired (${r.n} requests planned, each holding ${r.holdS} s)`,
  ];
  if (r.requests.length) {
    const spread = Math.max(...r.requests.map((q) => q.sentMs)) - Math.min(...r.requests.map((q) => q.sentMs));
    lines.push(
      `sent       ${r.sent} within ${spread} ms · admitted ${r.admitted} · refused (429) ${r.rejected}${types.length ? ` (${types.join(", ")})` : ""} · other ${r.other}`,
      `peak       ${r.peak} admitted in flight at once${r.peakAtMs !== null ? ` at ${new Date(r.peakAtMs).toISOString()}` : ""} (client timings)`,
    );
    if (r.peakIds.length) lines.push(`           ${r.peakIds.slice(0, IDS_SHOWN).join(", ")}${r.peakIds.length > IDS_SHOWN ? `, … ${r.peakIds.length - IDS_SHOWN} more` : ""}`);
    lines.push(`latency    admitted: ${latencies(r.requests, 200)}`, `           refused:  ${latencies(r.requests, 429)}`);
    if (r.admitted) lines.push(`proxy      ${spendLogLine(r)}`);
  }
  for (const reason of r.reasons) lines.push(`why        ${reason}`);
  return lines.join("\n");
}

/** The spend logs' view of the peak, or how far the wait for them is. */
export function spendLogLine(r: Pick<BurstReport, "spendLogs">): string {
  const v = r.spendLogs;
  if (!v) return "awaiting spend logs (the proxy writes them when it flushes)";
  if (v.state === "awaiting") return `awaiting spend logs: ${v.found} of ${v.expected} admitted requests in so far`;
  const at = v.peakAtMs !== null ? ` at ${new Date(v.peakAtMs).toISOString()}` : "";
  const missing = v.state === "partial" ? `; ${v.expected - v.found} never came` : "";
  return `${v.peak} admitted in flight at once by the spend logs (the proxy's clock${at}; ${v.found} of ${v.expected} rows${missing})`;
}

/** The last line, as CI reads it: `verdict: PASS`, `verdict: FAIL-leaky`, … or `verdict: INCONCLUSIVE (<reason>)`. */
export function verdictLine(r: Pick<BurstReport, "verdict" | "reasons">): string {
  // One line whatever the reason holds (a probe's reason quotes the proxy's answer).
  const reason = (r.reasons[0] ?? "unknown").replace(/\s*[\r\n]+\s*/g, " ");
  return r.verdict === "INCONCLUSIVE" ? `verdict: INCONCLUSIVE (${reason})` : `verdict: ${r.verdict}`;
}
