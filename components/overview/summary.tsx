import type { OverviewRow } from "@/lib/api/keys";

/** The four numbers an operator needs first: who exceeds now, who did, who is stuck, how many 429s. */
export function OverviewSummary({ rows }: { rows: OverviewRow[] }) {
  const count = (s: OverviewRow["state"]["status"]) => rows.filter((r) => r.state.status === s).length;
  const cards = [
    { label: "Exceeding now", value: count("exceeding"), hint: "above max_parallel_requests in the last 5 min", tone: "text-rose-600 dark:text-rose-400", id: "exceeding" },
    { label: "Exceeded in range", value: rows.filter((r) => r.state.violations > 0).length, hint: "keys with at least one violation", tone: "text-amber-600 dark:text-amber-400", id: "exceeded" },
    { label: "Limiter stuck", value: count("stuck"), hint: "max_parallel_requests 429s with nothing in flight", tone: "text-fuchsia-600 dark:text-fuchsia-400", id: "stuck" },
    { label: "429s in range", value: rows.reduce((s, r) => s + r.state.rejected, 0), hint: "rejected for max_parallel_requests", tone: "text-zinc-900 dark:text-zinc-100", id: "rejected" },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      {cards.map((c) => (
        <div key={c.id} data-testid={`summary-${c.id}`} className="rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
          <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{c.label}</dt>
          <dd className={`mt-1 text-2xl font-semibold tabular-nums ${c.value > 0 ? c.tone : "text-zinc-400 dark:text-zinc-600"}`}>{c.value.toLocaleString("en-US")}</dd>
          <dd className="text-xs text-zinc-400 dark:text-zinc-500">{c.hint}</dd>
        </div>
      ))}
    </dl>
  );
}
