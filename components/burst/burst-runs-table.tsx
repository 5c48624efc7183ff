import Link from "next/link";
import type { BurstRunListItem } from "@/lib/api/bursts";
import { ago, utcStamp } from "@/lib/view/format/time";
import { LINK } from "@/components/ui/controls";
import { VerdictTag } from "./verdict-tag";

/** A key's burst tests, newest first: when, who, on what, how hard, and the verdict, each linking to its report. */
export function BurstRunsTable({ runs, now }: { runs: BurstRunListItem[]; now: number }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="burst-runs">
        <thead>
          <tr className="border-b border-zinc-200 text-left text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
            <th className="py-2 pr-4 font-medium">Started</th>
            <th className="py-2 pr-4 font-medium">Verdict</th>
            <th className="py-2 pr-4 font-medium">Target</th>
            <th className="py-2 pr-4 font-medium">Requests</th>
            <th className="py-2 pr-4 font-medium">By</th>
            <th className="py-2 font-medium">
              <span className="sr-only">Report</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800/60">
              <td className="py-2 pr-4 whitespace-nowrap" title={utcStamp(r.startedMs)}>
                {ago(r.startedMs, now)}
              </td>
              <td className="py-2 pr-4">
                <VerdictTag verdict={r.verdict} state={r.state} />
                {r.cleanupPending && r.state !== "running" ? <span className="ml-2 text-xs text-amber-700 dark:text-amber-300">cleanup pending</span> : null}
              </td>
              <td className="py-2 pr-4">{r.target === "twin" ? "twin key" : "the key itself"}</td>
              <td className="py-2 pr-4 tabular-nums">{requestsCell(r)}</td>
              <td className="max-w-48 truncate py-2 pr-4 text-zinc-600 dark:text-zinc-400">{r.actorLabel}</td>
              <td className="py-2 text-right">
                <Link href={`/bursts/${r.id}`} className={LINK}>
                  Report
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function requestsCell(r: BurstRunListItem): string {
  const n = typeof r.plan.n === "number" ? r.plan.n : null;
  const rounds = typeof r.plan.rounds === "number" ? r.plan.rounds : 1;
  const sent = r.progress?.sent;
  const base = n === null ? (sent !== undefined ? `${sent}` : "default") : `${n}${rounds > 1 ? ` × ${rounds} rounds` : ""}`;
  return r.progress && r.progress.admitted + r.progress.rejected > 0 ? `${base} · ${r.progress.admitted} admitted` : base;
}
