"use client";

import Link from "next/link";
import type { AlertMark } from "@/lib/view/alerts/chart-marks";
import { alertHref } from "@/lib/view/alerts/list-state";
import { detectorLabel } from "@/lib/view/alerts/alert-view";
import { utcClock } from "@/lib/view/charts/time-axis";
import { formatDuration } from "@/lib/view/format/duration";
import { utcStamp } from "@/lib/view/format/time";
import { ALERT_COLORS, CHART_THEME } from "@/components/charts/chart-theme";
import { LINK } from "@/components/ui/controls";
import { AlertStateBadge } from "./alert-state-badge";

/** The alerts the chart marks, in words, each linking to its detail on the Alerts page. */
export function KeyAlerts({ marks, hash }: { marks: AlertMark[]; hash: string }) {
  return (
    <div className={`${CHART_THEME} space-y-2 border-t border-zinc-100 pt-3 dark:border-zinc-800`} data-testid="key-alerts">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-sm font-semibold">Alerts in this range</h3>
        <Link href={`/alerts?key=${hash}`} className={`${LINK} text-xs`}>
          Every alert of this key →
        </Link>
      </div>
      <ul className="space-y-1.5 text-sm">
        {[...marks].reverse().map((m) => (
          <li key={m.id} className="flex flex-wrap items-center gap-x-3 gap-y-1" data-testid="key-alert">
            <span className="h-3 w-3 shrink-0 rounded-sm" style={{ background: ALERT_COLORS[m.detector] }} aria-hidden />
            <AlertStateBadge alert={m} />
            <Link href={alertHref(m.id)} className={LINK}>
              {detectorLabel(m.detector)}
            </Link>
            <span className="text-zinc-500 dark:text-zinc-400">{m.ruleName}</span>
            <span className="tabular-nums text-zinc-600 dark:text-zinc-300" title={`${utcStamp(m.startedMs)} – ${utcStamp(m.lastActiveMs)}`}>
              {utcClock(m.startedMs).replace(" UTC", "")}–{utcClock(m.lastActiveMs)} ({formatDuration(m.lastActiveMs - m.startedMs)})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
