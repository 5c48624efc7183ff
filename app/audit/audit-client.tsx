"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Banner } from "@/components/ui/banner";
import { EmptyState } from "@/components/ui/empty-state";
import { SkeletonRows } from "@/components/ui/skeleton";
import { AuditPageSchema, type AuditRow } from "@/lib/api/audit";
import { fetchJson } from "@/lib/view/fetch-json";
import { shortHash } from "@/lib/view/format/keys";
import { utcStamp } from "@/lib/view/format/time";
import { auditQuery, useAuditUrl } from "./use-audit-url";

const OUTCOMES = ["applied", "refused", "unreachable", "unconfirmed", "pending", "external"] as const;
const OUTCOME_TONE: Record<string, string> = {
  applied: "bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-950 dark:text-emerald-300",
  external: "bg-sky-50 text-sky-800 ring-sky-600/20 dark:bg-sky-950 dark:text-sky-300",
  refused: "bg-rose-50 text-rose-800 ring-rose-600/20 dark:bg-rose-950 dark:text-rose-300",
  unreachable: "bg-rose-50 text-rose-800 ring-rose-600/20 dark:bg-rose-950 dark:text-rose-300",
  unconfirmed: "bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-300",
  pending: "bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-300",
};
const INPUT =
  "rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-900";

/** Half an hour each side of the change: the chart shows the limit step and the traffic around it. */
const chartAt = (hash: string, atMs: number) => `/keys/${hash}?range=custom&from=${atMs - 1_800_000}&to=${atMs + 1_800_000}`;

function fields(v: Record<string, unknown> | null): string {
  if (!v) return "—";
  return Object.entries(v)
    .map(([k, x]) => `${k}: ${x === null ? "no limit" : typeof x === "object" ? JSON.stringify(x) : String(x)}`)
    .join(", ");
}

export function AuditClient() {
  const { filters, setFilters } = useAuditUrl();
  const q = auditQuery(filters);
  const audit = useQuery({
    queryKey: ["audit", q.toString()],
    queryFn: ({ signal }) => fetchJson(`/api/audit?${q}&limit=500`, AuditPageSchema, { signal }),
    refetchInterval: 15_000,
  });
  const rows = audit.data?.rows;

  return (
    <div className="space-y-4">
      <form className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()} aria-label="Filter the audit trail">
        <label className="space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="block">Key (hash)</span>
          <input className={`${INPUT} w-56 font-mono`} value={filters.key} onChange={(e) => setFilters({ key: e.target.value.trim() })} placeholder="64 hex characters" />
        </label>
        <label className="space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="block">Who</span>
          <input className={`${INPUT} w-48`} value={filters.actor} onChange={(e) => setFilters({ actor: e.target.value })} placeholder="email or token name" />
        </label>
        <label className="space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="block">Outcome</span>
          <select className={INPUT} value={filters.outcome} onChange={(e) => setFilters({ outcome: e.target.value })}>
            <option value="">any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="block">From (UTC day)</span>
          <input type="date" className={INPUT} value={filters.from} onChange={(e) => setFilters({ from: e.target.value })} />
        </label>
        <label className="space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="block">To (UTC day)</span>
          <input type="date" className={INPUT} value={filters.to} onChange={(e) => setFilters({ to: e.target.value })} />
        </label>
        <a
          href={`/api/audit?${q}&limit=5000&format=csv`}
          download
          className="ml-auto rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
        >
          Download CSV
        </a>
      </form>

      {audit.error ? <Banner title="Could not read the audit trail">{audit.error.message}</Banner> : null}
      {!rows ? (
        audit.error ? null : <SkeletonRows rows={6} label="Loading the audit trail" />
      ) : rows.length === 0 ? (
        <EmptyState title="No entries match">
          Limit edits made on a key&apos;s page, limit changes seen on the proxy and account changes appear here. Clear a filter to see more.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <table className="w-full text-sm">
            <thead className="bg-zinc-50 text-left text-xs text-zinc-500 dark:bg-zinc-950 dark:text-zinc-400">
              <tr>
                <th className="px-3 py-2 font-medium">When (UTC)</th>
                <th className="px-3 py-2 font-medium">Who</th>
                <th className="px-3 py-2 font-medium">What</th>
                <th className="px-3 py-2 font-medium">Before</th>
                <th className="px-3 py-2 font-medium">After</th>
                <th className="px-3 py-2 font-medium">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <Entry key={r.id} r={r} />
              ))}
            </tbody>
          </table>
          {rows.length === 500 ? <p className="px-3 py-2 text-xs text-zinc-500">Showing the newest 500: narrow the filters, or download the CSV (up to 5,000).</p> : null}
        </div>
      )}
    </div>
  );
}

function Entry({ r }: { r: AuditRow }) {
  return (
    <tr className="border-t border-zinc-100 align-top dark:border-zinc-800" data-testid="audit-row">
      <td className="whitespace-nowrap px-3 py-2 tabular-nums text-zinc-600 dark:text-zinc-300">{utcStamp(r.atMs).replace(" UTC", "")}</td>
      <td className="px-3 py-2">
        {r.actorLabel}
        {r.actorKind !== "user" ? <span className="block text-xs text-zinc-500">{r.actorKind === "proxy" ? "changed on the proxy" : "API token"}</span> : null}
      </td>
      <td className="px-3 py-2">
        {r.keyHash ? (
          <Link href={chartAt(r.keyHash, r.atMs)} className="font-medium text-sky-700 underline-offset-2 hover:underline dark:text-sky-300">
            {r.keyAlias ?? shortHash(r.keyHash)}
          </Link>
        ) : null}
        <span className="block text-xs text-zinc-500">
          {r.action}
          {r.teamId ? ` · team ${r.teamId}` : ""}
        </span>
        {r.reason ? <span className="block text-xs italic text-zinc-600 dark:text-zinc-400">“{r.reason}”</span> : null}
      </td>
      <td className="px-3 py-2 text-zinc-600 dark:text-zinc-300">{fields(r.before)}</td>
      <td className="px-3 py-2 font-medium">{fields(r.after)}</td>
      <td className="px-3 py-2">
        <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${OUTCOME_TONE[r.outcome]}`}>{r.outcome}</span>
        {r.message ? <span className="mt-1 block max-w-xs text-xs text-zinc-500">{r.message}</span> : null}
      </td>
    </tr>
  );
}
