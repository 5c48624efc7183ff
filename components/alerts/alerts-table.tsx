"use client";

import Link from "next/link";
import type { AlertView } from "@/lib/api/alerts";
import { alertChartHref, alertSpanMs, detectorLabel, peakOverLimit } from "@/lib/view/alerts/alert-view";
import { formatDuration } from "@/lib/view/format/duration";
import { shortHash } from "@/lib/view/format/keys";
import { ago, utcStamp } from "@/lib/view/format/time";
import { LINK } from "@/components/ui/controls";
import { AlertStateBadge } from "./alert-state-badge";

/**
 * The alerts, newest first; a row opens its detail (the key's name links to its chart instead).
 * While a detail is open beside it, duration and episodes are left to the detail: the table is narrower then.
 */
export function AlertsTable({ alerts, openId, onOpen, now }: { alerts: AlertView[]; openId: string | null; onOpen: (id: string) => void; now: number }) {
  const compact = openId !== null;
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-sm" data-testid="alerts-table">
        <thead className="whitespace-nowrap bg-zinc-50 text-left text-xs text-zinc-500 dark:bg-zinc-950 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">State</th>
            <th scope="col" className="px-3 py-2 font-medium">What</th>
            <th scope="col" className="px-3 py-2 font-medium">Key</th>
            <th scope="col" className="px-3 py-2 text-right font-medium" title="Most in flight (or LiteLLM's count, for stuck and drift) against max_parallel_requests">
              Peak / limit
            </th>
            <th scope="col" className="px-3 py-2 font-medium">Since</th>
            {compact ? null : (
              <>
                <th scope="col" className="px-3 py-2 text-right font-medium" title="First to last second the condition held">
                  Duration
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium" title="Separate stretches merged into this alert">
                  Episodes
                </th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <Row key={a.id} a={a} open={a.id === openId} compact={compact} onOpen={() => onOpen(a.id)} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({ a, open, compact, onOpen, now }: { a: AlertView; open: boolean; compact: boolean; onOpen: () => void; now: number }) {
  const started = a.startedSec * 1000;
  return (
    <tr
      data-testid="alert-row"
      data-alert-id={a.id}
      aria-selected={open}
      onClick={onOpen}
      className={`cursor-pointer border-t border-zinc-100 align-top hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/50 ${open ? "bg-sky-50 shadow-[inset_3px_0_0_0_var(--color-sky-500)] dark:bg-sky-950/40" : ""}`}
    >
      <td className="px-3 py-2.5">
        <AlertStateBadge alert={a} />
      </td>
      <td className="px-3 py-2.5">
        <button
          type="button"
          onClick={(e) => (e.stopPropagation(), onOpen())}
          className="text-left font-medium text-zinc-900 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-zinc-100"
        >
          {detectorLabel(a.detector)}
        </button>
        <span className="block text-xs text-zinc-500 dark:text-zinc-400">{a.ruleName}</span>
      </td>
      <td className="px-3 py-2.5">
        <Link href={alertChartHref(a, now)} onClick={(e) => e.stopPropagation()} className={`${LINK} whitespace-nowrap`} title="The key's chart over this alert, with some minutes either side">
          {a.keyAlias ?? shortHash(a.keyHash)}
        </Link>
        <span className="block font-mono text-xs text-zinc-500 dark:text-zinc-400">
          {shortHash(a.keyHash)}
          {a.teamId ? <span className="font-sans"> · team {a.teamId}</span> : null}
        </span>
      </td>
      <td className="px-3 py-2.5 text-right tabular-nums">{peakOverLimit(a)}</td>
      <td className="whitespace-nowrap px-3 py-2.5 text-zinc-600 dark:text-zinc-300" title={utcStamp(started)}>
        {ago(started, now)}
      </td>
      {compact ? null : (
        <>
          <td className="whitespace-nowrap px-3 py-2.5 text-right tabular-nums text-zinc-600 dark:text-zinc-300">
            {formatDuration(alertSpanMs(a))}
            {a.state !== "resolved" ? <span className="block text-xs text-zinc-400">so far</span> : null}
          </td>
          <td className="px-3 py-2.5 text-right tabular-nums">{a.episodes}</td>
        </>
      )}
    </tr>
  );
}
