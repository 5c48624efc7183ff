import { Fragment } from "react";
import type { ChartRow } from "@/lib/view/charts/concurrency-model";
import type { RejectionKind } from "@/lib/view/charts/rejection-kinds";
import { bucketLabel } from "@/lib/view/charts/time-axis";
import { formatLimit } from "@/lib/view/format/keys";
import { CHART_COLORS } from "./chart-theme";

interface Props {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: unknown }>;
  bucketMs: number;
  /** The kinds of 429 the range holds: each gets a line (its count in this bucket, 0 included). */
  rejections: RejectionKind[];
}

/** Exact values of the bucket under the cursor, its UTC time, and what a click does. */
export function ChartTooltip({ active, payload, bucketMs, rejections }: Props) {
  const row = active ? (payload?.[0]?.payload as ChartRow | undefined) : undefined;
  if (!row) return null;
  const over = row.limit !== null && row.inFlight > row.limit ? row.inFlight - row.limit : 0;
  return (
    <div data-testid="chart-tooltip" className="min-w-56 rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
      <p className="mb-1.5 font-medium text-zinc-900 dark:text-zinc-100">{bucketLabel(row.t, bucketMs)}</p>
      <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-0.5 tabular-nums text-zinc-600 dark:text-zinc-300">
        <dt>In flight (truth{bucketMs > 1000 ? ", max" : ""})</dt>
        <dd className="text-right font-semibold text-zinc-900 dark:text-zinc-50">{row.inFlight}</dd>
        {row.live !== null ? (
          <>
            <dt style={{ color: CHART_COLORS.live }}>Live (tracker{bucketMs > 1000 ? ", max" : ""})</dt>
            <dd className="text-right font-semibold" style={{ color: CHART_COLORS.live }}>
              {row.live}
            </dd>
          </>
        ) : null}
        <dt>LiteLLM believed</dt>
        <dd className="text-right">{row.believed ?? "not sampled"}</dd>
        <dt>Limit</dt>
        <dd className="text-right">{formatLimit(row.limit)}</dd>
        {over ? (
          <>
            <dt className="text-rose-700 dark:text-rose-300">Over the limit by</dt>
            <dd className="text-right font-semibold text-rose-700 dark:text-rose-300">{over}</dd>
          </>
        ) : null}
        <dt>Admitted</dt>
        <dd className="text-right">{row.admitted}</dd>
        {rejections.length === 0 ? (
          <>
            <dt>429s</dt>
            <dd className="text-right">0</dd>
          </>
        ) : (
          rejections.map((k) => (
            <Fragment key={k.field}>
              <dt className="flex items-center gap-1.5">
                <span aria-hidden className="block h-2.5 w-2 rounded-sm" style={{ background: CHART_COLORS[k.field] }} />
                {k.label}
              </dt>
              <dd className="text-right">{row[k.field]}</dd>
            </Fragment>
          ))
        )}
      </dl>
      {row.provisional ? <p className="mt-1.5 text-zinc-500 dark:text-zinc-400">Provisional: late spend-log rows may still change it</p> : null}
      <p className="mt-1.5 text-zinc-400 dark:text-zinc-500">Click for the requests in flight · drag to zoom</p>
    </div>
  );
}
