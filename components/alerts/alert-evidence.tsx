import type { AlertView } from "@/lib/api/alerts";
import { evidenceView } from "@/lib/view/alerts/alert-view";
import { utcClock, utcStampMs } from "@/lib/view/charts/time-axis";
import { formatDuration } from "@/lib/view/format/duration";
import { TableHead } from "@/components/ui/table-head";

/** What the alert rests on: its numbers, and the requests that were in flight at its peak (their ids, for a bug report). */
export function AlertEvidence({ alert }: { alert: AlertView }) {
  const ev = evidenceView(alert);
  return (
    <div className="space-y-3" data-testid="alert-evidence">
      {ev.facts.length ? (
        <dl className="grid max-w-md grid-cols-[1fr_auto] gap-x-6 gap-y-1 text-sm">
          {ev.facts.map((f) => (
            <div key={f.label} className="contents">
              <dt className="text-zinc-600 dark:text-zinc-400">{f.label}</dt>
              <dd className="text-right font-medium tabular-nums">{f.value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="text-sm text-zinc-500">No evidence kept for this alert.</p>
      )}
      {ev.requests.length ? (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-xs tabular-nums" data-testid="alert-peak-requests">
            <caption className="mb-1 text-left text-sm text-zinc-600 dark:text-zinc-300">
              Requests in flight at the peak{ev.peakAtMs !== null ? `, ${utcStampMs(ev.peakAtMs)}` : ""}
              {ev.requestsAtPeak !== null && ev.requestsAtPeak > ev.requests.length ? ` (the first ${ev.requests.length} of ${ev.requestsAtPeak})` : ""}
            </caption>
            <TableHead columns={["Request id", "Start (UTC)", "Duration", "Model"]} right={["Duration"]} />
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {ev.requests.map((r) => (
                <tr key={r.requestId}>
                  <td className="max-w-[14rem] truncate py-1 pr-3 font-mono" title={r.requestId}>
                    {r.requestId}
                  </td>
                  <td className="whitespace-nowrap py-1 pr-3" title={utcStampMs(r.startMs)}>
                    {utcClock(r.startMs).replace(" UTC", "")}
                  </td>
                  <td className="py-1 pr-3 text-right">{formatDuration(r.endMs - r.startMs)}</td>
                  <td className="whitespace-nowrap py-1">{r.model ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {awaiting(alert, ev.requestsAtPeak) ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400" data-testid="evidence-awaiting">
          {`${ev.requestsAtPeak ?? 0} of the ${alert.peak} requests at the peak are in the proxy's spend logs so far (the peak was seen live); the rest are listed once the proxy flushes them.`}
        </p>
      ) : null}
    </div>
  );
}

/** Fewer requests stored at the peak than it counted: the peak came from live truth, its spend-log rows are still on their way. */
function awaiting(alert: AlertView, stored: number | null): boolean {
  return alert.state === "firing" && alert.peak !== null && stored !== null && stored < alert.peak;
}
