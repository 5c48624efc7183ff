"use client";

import Link from "next/link";
import { useRef, useState } from "react";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatLimit, shortHash } from "@/lib/view/format/keys";
import type { OverviewRow } from "@/lib/api/keys";
import { displayOrder, type SortColumn, type TableState } from "@/lib/view/table-state";
import { Sparkline } from "./sparkline";

const COLUMNS: { id: SortColumn | null; label: string; title?: string; align?: "right" }[] = [
  { id: "severity", label: "Status", title: "Worst first: peak / limit" },
  { id: "key", label: "Key" },
  { id: "team", label: "Team" },
  { id: "limit", label: "Limits", title: "max_parallel_requests · rpm · tpm", align: "right" },
  { id: "now", label: "In flight now", title: "Live from Inflight's LiteLLM callback when it is mounted (a green dot); else from spend logs, which trail by the flush lag", align: "right" },
  { id: "belief", label: "LiteLLM believes", title: "What LiteLLM's limiter state in Redis says is in flight", align: "right" },
  { id: "peak", label: "Peak / limit", title: "Most requests in flight at once in the range, against the limit", align: "right" },
  { id: "violations", label: "Violations", title: "Episodes above the limit in the range", align: "right" },
  { id: "rejected", label: "429s", title: "Requests the limiter rejected for max_parallel_requests in the range (429s of rpm, tpm and other limits are on each key's chart)", align: "right" },
  { id: null, label: "Concurrency" },
];

/** The 429s column's warning when the tracker sees limiter 429s the spend logs lack (disable_error_logs). */
const UNLOGGED_429S = "429s are missing from spend logs (the proxy runs with disable_error_logs?): these counts are low; the tracker callback counts them";

export function OverviewTable({ rows, table, onSort, unlogged429s = false }: { rows: OverviewRow[]; table: TableState; onSort: (c: SortColumn) => void; unlogged429s?: boolean }) {
  const [hold, setHold] = useState(false);
  const order = useRef<string[]>([]);
  order.current = displayOrder(order.current, rows, hold);
  const byHash = new Map(rows.map((r) => [r.hash, r]));
  const shown = order.current.map((h) => byHash.get(h)!).filter(Boolean);

  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-left text-sm" data-testid="overview-table">
        <thead className="border-b border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            {COLUMNS.map((c) => {
              const active = c.id !== null && table.sort === c.id;
              return (
                <th
                  key={c.label}
                  scope="col"
                  aria-sort={active ? (table.dir === "asc" ? "ascending" : "descending") : undefined}
                  className={`whitespace-nowrap px-3 py-2.5 font-medium ${c.align === "right" ? "text-right" : ""}`}
                >
                  {c.id === null ? (
                    c.label
                  ) : (
                    <button
                      type="button"
                      title={c.id === "rejected" && unlogged429s ? UNLOGGED_429S : c.title}
                      onClick={() => onSort(c.id!)}
                      className={`inline-flex items-center gap-1 rounded hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:text-zinc-100 ${active ? "text-zinc-900 dark:text-zinc-100" : ""}`}
                    >
                      {c.label}
                      {c.id === "rejected" && unlogged429s ? (
                        <span className="font-semibold text-amber-600 dark:text-amber-400" data-testid="unlogged-429s">
                          !<span className="sr-only"> {UNLOGGED_429S}</span>
                        </span>
                      ) : null}
                      <span aria-hidden className="w-2 text-[10px]">
                        {active ? (table.dir === "asc" ? "▲" : "▼") : ""}
                      </span>
                    </button>
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody
          className="divide-y divide-zinc-100 dark:divide-zinc-800"
          onPointerEnter={() => setHold(true)}
          onPointerLeave={() => setHold(false)}
        >
          {shown.map((r) => (
            <Row key={r.hash} r={r} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({ r }: { r: OverviewRow }) {
  const s = r.state;
  // Against the limit in force at the time (the server's key state), not today's limit.
  const over = s.violations > 0;
  const now = r.live ?? s.inFlightNow;
  const nowOver = s.limitNow !== null && now > s.limitNow;
  return (
    <tr data-testid="overview-row" data-hash={r.hash} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
      <td className="px-3 py-2.5">
        <StatusBadge status={s.status} />
      </td>
      <td className="px-3 py-2.5">
        <Link href={`/keys/${r.hash}`} className="group block rounded focus-visible:outline-2 focus-visible:outline-sky-500">
          <span className="font-medium text-zinc-900 group-hover:text-sky-700 dark:text-zinc-100 dark:group-hover:text-sky-300">
            {r.alias ?? <span className="italic text-zinc-400">no alias</span>}
          </span>
          <span className="ml-2 font-mono text-xs text-zinc-400 dark:text-zinc-500" title={r.hash}>
            {shortHash(r.hash)}
          </span>
          {!r.inCatalog ? <span className="ml-2 text-xs text-amber-600 dark:text-amber-400" title="Seen in spend logs, not in the proxy's key list (deleted, or listed since)">not listed</span> : null}
        </Link>
      </td>
      <td className="px-3 py-2.5 text-zinc-600 dark:text-zinc-300">{r.teamId ?? <span className="text-zinc-400">—</span>}</td>
      <td className="whitespace-nowrap px-3 py-2.5 text-right tabular-nums" title="max_parallel_requests · rpm · tpm">
        <span className={r.maxParallelRequests === null ? "text-zinc-400" : "font-medium"}>{formatLimit(r.maxParallelRequests)}</span>
        <span className="text-xs text-zinc-400"> · {formatLimit(r.rpmLimit)} · {formatLimit(r.tpmLimit)}</span>
      </td>
      <td
        className={`whitespace-nowrap px-3 py-2.5 text-right tabular-nums ${nowOver ? "font-semibold text-rose-600 dark:text-rose-400" : ""}`}
        title={r.live === null ? "From spend logs: trails the proxy by the flush lag" : "Live: from Inflight's LiteLLM callback, this second"}
        data-source={r.live === null ? "spend-logs" : "tracker"}
      >
        {r.live !== null ? <span aria-hidden className="mr-1.5 inline-block h-1.5 w-1.5 rounded-full bg-emerald-500 align-middle" /> : null}
        {now}
      </td>
      <td className="px-3 py-2.5 text-right tabular-nums text-zinc-500 dark:text-zinc-400">{s.believedNow ?? <span title="LiteLLM's view is not visible in Redis">–</span>}</td>
      <td className="whitespace-nowrap px-3 py-2.5 text-right tabular-nums">
        <span className={over ? "font-semibold text-rose-600 dark:text-rose-400" : ""}>{s.peak}</span>
        <span className="text-zinc-400"> / {formatLimit(r.maxParallelRequests)}</span>
      </td>
      <td className={`px-3 py-2.5 text-right tabular-nums ${s.violations ? "font-medium text-rose-600 dark:text-rose-400" : "text-zinc-400"}`} title={s.violations ? `${s.secondsOver.toLocaleString("en-US")} s above the limit in force` : undefined}>
        {s.violations}
      </td>
      <td className={`px-3 py-2.5 text-right tabular-nums ${s.rejected ? "" : "text-zinc-400"}`}>{s.rejected.toLocaleString("en-US")}</td>
      <td className="px-3 py-1.5">
        <Sparkline values={r.sparkline} limit={r.maxParallelRequests} />
      </td>
    </tr>
  );
}
