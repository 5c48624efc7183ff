"use client";

import { spendLogLine } from "@/lib/burst/report-text";
import { latency, type Latency } from "@/lib/burst/latency";
import { awaitingSpendLogs, type BurstReport } from "@/lib/burst/report";
import { verdictLabel, verdictTone } from "@/lib/view/bursts/burst-view";
import { utcStamp } from "@/lib/view/format/time";
import { BurstTimeline } from "./burst-timeline";

const TONE = {
  pass: "border-emerald-300 bg-emerald-50 dark:border-emerald-900 dark:bg-emerald-950/40",
  fail: "border-rose-300 bg-rose-50 dark:border-rose-900 dark:bg-rose-950/40",
  unknown: "border-amber-300 bg-amber-50 dark:border-amber-900 dark:bg-amber-950/40",
  running: "border-sky-300 bg-sky-50 dark:border-sky-900 dark:bg-sky-950/40",
} as const;

/** How many of the requests at the peak are listed (the JSON export has them all). */
const PEAK_IDS_SHOWN = 12;

/** A burst test's report: the verdict and why, the figures, the timeline against the limit, latencies, the requests at the peak. */
export function BurstReportBody({ report: r }: { report: BurstReport }) {
  const fired = r.requests.length > 0;
  const admitted = latency(r.requests, 200);
  const refused = latency(r.requests, 429);
  const over = r.limit !== null && r.peak > r.limit;
  const proxy = r.spendLogs;
  return (
    <>
      <section aria-labelledby="verdict-title" className={`rounded-lg border p-4 ${TONE[verdictTone(r.verdict, "done")]}`} data-testid="burst-verdict-card">
        <h2 id="verdict-title" className="text-lg font-semibold">
          {verdictLabel(r.verdict, "done")} <span className="ml-1 font-mono text-sm font-normal text-zinc-600 dark:text-zinc-400">verdict: {r.verdict}</span>
        </h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
          {r.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
        {fired && r.admitted > 0 ? (
          <p className="mt-3 text-sm text-zinc-700 dark:text-zinc-300" data-testid="spend-log-view">
            <span className="font-medium">The proxy&apos;s view:</span> {spendLogLine(r)}
            {proxy === null || proxy.state === "awaiting" ? (
              <span className="ml-1 text-zinc-500">
                {awaitingSpendLogs(r, Date.now()) ? "(checked every 2 s until they arrive)" : "(no longer awaited: Inflight stopped while waiting, so the proxy's clock never confirmed this)"}
              </span>
            ) : null}
          </p>
        ) : null}
      </section>

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7" data-testid="burst-figures">
        <Figure label="Limit" value={r.limit ?? "none"} note="max_parallel_requests" />
        <Figure label="Sent" value={r.sent} note={r.rounds > 1 ? `${r.rounds} rounds of ${r.n}` : `at once`} />
        <Figure label="Admitted" value={r.admitted} />
        <Figure label="Refused (429)" value={r.rejected} />
        <Figure label="Other" value={r.other} note="errors, cancels" />
        <Figure label="Peak, client" value={r.peak} note="admitted at once" alert={over} />
        <Figure label="Peak, spend logs" value={proxy && proxy.state !== "awaiting" ? proxy.peak : "…"} note={proxy ? `${proxy.found} of ${proxy.expected} rows` : "awaiting"} alert={r.limit !== null && proxy !== null && proxy.peak > r.limit} />
      </dl>

      {fired ? (
        <section aria-labelledby="timeline-title" className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="timeline-title" className="text-base font-semibold">
            Admitted requests in flight
          </h2>
          <BurstTimeline report={r} />
        </section>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-2">
        {fired ? (
          <section aria-labelledby="latency-title" className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
            <h2 id="latency-title" className="text-base font-semibold">
              Latency
            </h2>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">From send to the end of the response, as the client timed it.</p>
            <table className="mt-3 w-full text-sm tabular-nums" data-testid="burst-latency">
              <thead>
                <tr className="text-left text-xs text-zinc-500 dark:text-zinc-400">
                  <th className="py-1 pr-3 font-medium">Requests</th>
                  <th className="py-1 pr-3 text-right font-medium">count</th>
                  <th className="py-1 pr-3 text-right font-medium">p50</th>
                  <th className="py-1 pr-3 text-right font-medium">p95</th>
                  <th className="py-1 pr-3 text-right font-medium">p99</th>
                  <th className="py-1 text-right font-medium">max</th>
                </tr>
              </thead>
              <tbody>
                <LatencyRow label="Admitted" l={admitted} />
                <LatencyRow label="Refused (429)" l={refused} />
              </tbody>
            </table>
          </section>
        ) : null}

        <section aria-labelledby="plan-title" className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="plan-title" className="text-base font-semibold">
            The test
          </h2>
          <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-zinc-500 dark:text-zinc-400">Target</dt>
            <dd>{r.target === "twin" ? "a temporary twin key (same limits and models), deleted afterwards" : "the key itself"}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Requests</dt>
            <dd>
              {r.n} at once{r.rounds > 1 ? `, ${r.rounds} rounds ${r.everyS.toFixed(2)} s apart` : ""}, each holding {r.holdS} s (mock, zero cost)
            </dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Model</dt>
            <dd className="font-mono">{r.model ?? "—"}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Ran</dt>
            <dd>
              {utcStamp(r.startedMs)} → {utcStamp(r.endedMs)}
            </dd>
          </dl>
        </section>
      </div>

      {r.peakIds.length ? (
        <section aria-labelledby="peak-title" className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="peak-title" className="text-base font-semibold">
            At the peak{r.peakAtMs !== null ? `, ${utcStamp(r.peakAtMs)}` : ""}
          </h2>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            The {r.peakIds.length} admitted requests in flight together, by the call id each carried (x-litellm-call-id, as the proxy&apos;s spend logs name them).
          </p>
          <ul className="mt-2 flex flex-wrap gap-1.5 font-mono text-xs" data-testid="peak-ids">
            {r.peakIds.slice(0, PEAK_IDS_SHOWN).map((id) => (
              <li key={id} className="rounded bg-zinc-100 px-1.5 py-0.5 dark:bg-zinc-800">
                {id}
              </li>
            ))}
            {r.peakIds.length > PEAK_IDS_SHOWN ? <li className="px-1.5 py-0.5 text-zinc-500">… {r.peakIds.length - PEAK_IDS_SHOWN} more in the JSON export</li> : null}
          </ul>
        </section>
      ) : null}
    </>
  );
}

function Figure({ label, value, note, alert }: { label: string; value: number | string; note?: string; alert?: boolean }) {
  return (
    <div className={`rounded-md border px-3 py-2 ${alert ? "border-rose-300 bg-rose-50 dark:border-rose-900 dark:bg-rose-950/40" : "border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"}`}>
      <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="text-xl font-semibold tabular-nums">{value}</dd>
      {note ? <dd className="text-xs text-zinc-500 dark:text-zinc-400">{note}</dd> : null}
    </div>
  );
}

const ms = (v: number | null) => (v === null ? "—" : `${Math.round(v).toLocaleString("en-US")} ms`);

function LatencyRow({ label, l }: { label: string; l: Latency }) {
  return (
    <tr className="border-t border-zinc-100 dark:border-zinc-800">
      <td className="py-1 pr-3">{label}</td>
      <td className="py-1 pr-3 text-right">{l.count}</td>
      <td className="py-1 pr-3 text-right">{ms(l.p50)}</td>
      <td className="py-1 pr-3 text-right">{ms(l.p95)}</td>
      <td className="py-1 pr-3 text-right">{ms(l.p99)}</td>
      <td className="py-1 text-right">{ms(l.max)}</td>
    </tr>
  );
}
