"use client";

import type { BurstRunView } from "@/lib/api/bursts";
import { plannedTotal } from "@/lib/view/bursts/burst-view";
import { formatDuration } from "@/lib/view/format/duration";
import { useNow } from "@/components/shell/use-now";

const COUNTS = [
  ["sent", "Sent"],
  ["admitted", "Admitted"],
  ["rejected", "Refused (429)"],
  ["inFlight", "In flight"],
  ["done", "Done"],
] as const;

/** A running burst: what it is doing, its counts, and a bar of the requests done out of those planned. */
export function BurstProgressCard({ run }: { run: BurstRunView }) {
  const now = useNow(500);
  const p = run.progress;
  const total = plannedTotal(run.plan, null) ?? p?.sent ?? 0;
  const done = p?.done ?? 0;
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  const phase = run.cancelRequested
    ? "Cancelling: every request is being aborted, then the run cleans up"
    : !p
      ? run.target === "twin"
        ? "Creating the twin key and probing that mock answers cost nothing…"
        : "Probing that mock answers cost nothing…"
      : p.done < total
        ? "Requests in flight: each holds its slot for its mock delay"
        : "Every request is done: judging, and cleaning up";
  return (
    <section aria-labelledby="progress-title" className="space-y-4 rounded-lg border border-sky-200 bg-white p-4 dark:border-sky-900 dark:bg-zinc-900">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="progress-title" className="text-base font-semibold">
          Running
        </h2>
        <span className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400">{formatDuration(Math.max(0, now - run.startedMs))} since it started</span>
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-300" aria-live="polite">
        {phase}
      </p>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">{planLine(run.plan)}</p>
      <div>
        <div
          role="progressbar"
          aria-label="Requests done"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
          className="h-2.5 w-full overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800"
        >
          <div className="h-full rounded-full bg-sky-600 transition-[width] duration-300 dark:bg-sky-400" style={{ width: `${pct}%` }} />
        </div>
        <p className="mt-1 text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
          {done} of {total || "?"} requests done ({pct}%)
        </p>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" data-testid="burst-progress" aria-describedby="progress-note">
        {COUNTS.map(([k, label]) => (
          <div key={k} className="rounded-md bg-zinc-50 px-3 py-2 dark:bg-zinc-950">
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums">{p ? p[k] : 0}</dd>
          </div>
        ))}
      </dl>
      <p id="progress-note" className="text-xs text-zinc-500 dark:text-zinc-400">
        A 429 comes back at once; an admitted request answers only when its mock delay ends, so it counts as in flight until then and as admitted once done.
      </p>
    </section>
  );
}

/** "12 requests at once × 3 rounds, each holding 26 s": what the run was asked (the hold may be raised for rounds). */
function planLine(plan: Record<string, unknown>): string {
  const n = typeof plan.n === "number" ? `${plan.n} requests at once` : "a few times the limit at once";
  const rounds = typeof plan.rounds === "number" && plan.rounds > 1 ? ` × ${plan.rounds} rounds across a limiter window roll` : "";
  const hold = typeof plan.holdS === "number" ? `, each holding ${plan.holdS} s${rounds ? " (or past the last round)" : ""}` : "";
  return `${n}${rounds}${hold}, mock answers at zero cost`;
}
