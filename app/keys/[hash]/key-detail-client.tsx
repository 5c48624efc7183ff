"use client";

import Link from "next/link";
import { useCallback, useMemo, useState } from "react";
import { KeyAlerts } from "@/components/alerts/key-alerts";
import { BurstPanel } from "@/components/burst/burst-panel";
import { useAlerts } from "@/components/alerts/queries";
import { ChartLegend } from "@/components/charts/chart-legend";
import { ChartSkeleton } from "@/components/charts/chart-skeleton";
import { ConcurrencyChart } from "@/components/charts/concurrency-chart";
import { BeliefNote } from "@/components/key-detail/belief-note";
import { downloadText } from "@/components/key-detail/download";
import { EvidencePanel } from "@/components/key-detail/evidence-panel";
import { ExportButtons } from "@/components/key-detail/export-buttons";
import { HealthBanner } from "@/components/key-detail/health-banner";
import { KeyHeader } from "@/components/key-detail/key-header";
import { LimitsPanel } from "@/components/key-detail/limits-panel";
import { PeakSummary } from "@/components/key-detail/peak-summary";
import { RangeControls } from "@/components/key-detail/range-controls";
import { useHealth } from "@/components/shell/use-health";
import { useNow } from "@/components/shell/use-now";
import { Banner } from "@/components/ui/banner";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { SkeletonRows } from "@/components/ui/skeleton";
import { alertMarks, markDetectors } from "@/lib/view/alerts/chart-marks";
import { concurrencyModel } from "@/lib/view/charts/concurrency-model";
import { completeToMs, latestBelief, truthAsOf } from "@/lib/view/charts/key-summary";
import { bucketLabel } from "@/lib/view/charts/time-axis";
import { PRESET_LABELS } from "@/lib/view/range";
import { evidenceCsv, evidenceJson, exportFileName, seriesCsv, seriesJson } from "@/lib/view/export/key-export";
import { formatDuration } from "@/lib/view/format/duration";
import { ApiClientError } from "@/lib/view/fetch-json";
import { useEvidence, type EvidenceWindow } from "./use-evidence";
import { useKeySeries, useRecentSeries } from "./use-key-series";
import { useRangeUrl } from "./use-range-url";

const MIME = { csv: "text/csv", json: "application/json" } as const;
/** How many of the key's newest alerts are read for the chart's marks (a 30-day range rarely holds more). */
const KEY_ALERTS = 200;

export function KeyDetailClient({ hash }: { hash: string }) {
  const [range, setRange] = useRangeUrl("1h");
  const series = useKeySeries(hash, range);
  const recent = useRecentSeries(hash);
  const health = useHealth();
  const now = useNow(5_000);
  const [picked, setPicked] = useState<EvidenceWindow | null>(null);
  const evidence = useEvidence(hash, picked);
  const model = useMemo(() => (series.data ? concurrencyModel(series.data) : null), [series.data]);
  // The key's newest alerts; those overlapping the chart's range are marked on it.
  const alerts = useAlerts(`key=${hash}&limit=${KEY_ALERTS}`, 15_000);
  const marks = useMemo(() => (model && alerts.data ? alertMarks(alerts.data.alerts, model.fromMs, model.toMs) : []), [model, alerts.data]);
  const zoomTo = useCallback((fromMs: number, toMs: number) => setRange({ kind: "custom", fromMs, toMs }), [setRange]);

  const failure = series.error;
  if (failure instanceof ApiClientError && (failure.status === 404 || failure.status === 422)) {
    return (
      <>
        <PageHeader title="Unknown key" />
        <EmptyState title="Inflight does not know this key">
          <p>{failure.message}.</p>
          <p className="mt-2">
            <Link href="/keys" className="font-medium text-sky-700 underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-300">
              Back to all keys
            </Link>
          </p>
        </EmptyState>
      </>
    );
  }

  const data = series.data;
  const keyRef = data?.key ?? recent.data?.key;
  const pipeline = health.data?.pipeline;
  const beliefUnavailable = pipeline?.limiter?.state === "invisible" ? pipeline.limiter.message : null;
  const asOf = pipeline ? completeToMs(pipeline.lastPollAt, pipeline.lagMs) : null;
  const truth = recent.data ? truthAsOf(recent.data.points, recent.data.bucketMs, asOf) : null;
  const belief = recent.data ? latestBelief(recent.data.belief) : null;
  const status = data?.state.status ?? null;

  function exportSeries(format: "csv" | "json") {
    if (!data || !model) return;
    const text = format === "csv" ? seriesCsv(model.rows) : seriesJson(data, model.rows);
    downloadText(exportFileName(data.key, "series", data.fromMs, format), MIME[format], text);
  }
  function exportEvidence(format: "csv" | "json") {
    const e = evidence.data;
    if (!e) return;
    const text = format === "csv" ? evidenceCsv(e) : evidenceJson(e);
    downloadText(exportFileName(e.key, "evidence", e.fromMs, format), MIME[format], text);
  }

  return (
    <div className="space-y-6">
      <HealthBanner health={health.data} lastBeliefAt={belief?.t ?? null} />
      {keyRef ? (
        <KeyHeader keyRef={keyRef} status={status} truth={truth} belief={belief} beliefUnavailable={beliefUnavailable} now={now} />
      ) : (
        <SkeletonRows rows={3} label="Loading the key" />
      )}
      {failure ? (
        <Banner title="Could not read this key's concurrency">
          {failure.message}
          {data ? " Showing the last data read." : null}
        </Banner>
      ) : null}

      <section aria-labelledby="chart-title" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex flex-wrap items-baseline justify-between gap-3">
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <h2 id="chart-title" className="text-base font-semibold">
              Concurrency
            </h2>
            {data ? (
              <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="range-caption">
                {bucketLabel(data.fromMs, data.toMs - data.fromMs)} · {formatDuration(data.bucketMs)} buckets
                {series.isFetching && series.isPlaceholderData ? " · loading the new range…" : null}
              </p>
            ) : null}
          </div>
          <ExportButtons what="series" onCsv={() => exportSeries("csv")} onJson={() => exportSeries("json")} disabled={!model} />
        </div>
        <RangeControls range={range} shown={data ? { fromMs: data.fromMs, toMs: data.toMs } : null} onChange={setRange} />

        {!model ? (
          failure ? (
            <EmptyState title="No data to chart">The read failed; see above. It is retried every few seconds while the range is live.</EmptyState>
          ) : (
            <ChartSkeleton />
          )
        ) : !model.hasTraffic ? (
          <EmptyState title={`No traffic from this key in ${range.kind === "preset" ? `the last ${PRESET_LABELS[range.preset]}` : "this range"}`}>
            Inflight rebuilds concurrency from LiteLLM&apos;s spend logs, which arrive after each request ends
            {pipeline?.lagMs != null ? ` (ingest is ${formatDuration(pipeline.lagMs)} behind now)` : ""}. Pick a longer range, or send a
            request with this key.
          </EmptyState>
        ) : (
          <>
            <ConcurrencyChart
              model={model}
              selected={picked}
              onSelect={setPicked}
              onZoom={zoomTo}
              marks={marks}
            />
            <ChartLegend
              hasLimit={model.limitChanges.some((c) => c.limit !== null)}
              hasBelief={model.hasBelief}
              hasLive={model.hasLive}
              hasProvisional={model.provisionalFromMs !== null}
              rejections={model.rejections}
              alerts={markDetectors(marks)}
              unlogged429s={pipeline?.tracker?.errorLogs === "missing"}
            />
            <BeliefNote unavailable={beliefUnavailable} hasBelief={model.hasBelief} />
            <PeakSummary model={model} onShowPeak={setPicked} />
            {marks.length ? <KeyAlerts marks={marks} hash={hash} /> : null}
          </>
        )}
      </section>

      {keyRef ? <LimitsPanel hash={hash} /> : null}
      {keyRef ? <BurstPanel hash={hash} /> : null}

      {picked ? (
        <EvidencePanel
          window={picked}
          evidence={evidence.data}
          loading={evidence.isPending}
          error={evidence.error}
          limit={keyRef?.maxParallelRequests ?? null}
          onExport={exportEvidence}
          onClose={() => setPicked(null)}
        />
      ) : null}
    </div>
  );
}
