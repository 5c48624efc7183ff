"use client";

import { OverviewFilters } from "@/components/overview/filters";
import { OverviewSummary } from "@/components/overview/summary";
import { OverviewTable } from "@/components/overview/overview-table";
import { TeamLimitsPanel } from "@/components/overview/team-limits-panel";
import { Banner } from "@/components/ui/banner";
import { EmptyState } from "@/components/ui/empty-state";
import { RangePicker } from "@/components/ui/range-picker";
import { SkeletonRows } from "@/components/ui/skeleton";
import { useHealth } from "@/components/shell/use-health";
import { formatDuration } from "@/lib/view/format/duration";
import { utcStamp } from "@/lib/view/format/time";
import type { Overview } from "@/lib/api/keys";
import { filterRows, sortRows, type SortColumn } from "@/lib/view/table-state";
import { useState } from "react";
import { useOverviewUrl } from "./keys-url";
import { useOverview } from "./use-overview";

/** `canEditLimits`: an admin, with a LiteLLM key that may write. */
export function OverviewClient({ canEditLimits }: { canEditLimits: boolean }) {
  const url = useOverviewUrl();
  const [teamEdit, setTeamEdit] = useState<string | null>(null);
  const overview = useOverview(url.range);
  const health = useHealth();
  const down = health.data?.services.filter((s) => !s.ok) ?? [];

  const onSort = (c: SortColumn) =>
    url.setTable(url.table.sort === c ? { dir: url.table.dir === "asc" ? "desc" : "asc" } : { sort: c, dir: c === "key" || c === "team" ? "asc" : "desc" });

  return (
    <div className="space-y-5">
      {down.map((s) => (
        <Banner key={s.service} title={`${s.service === "litellm" ? "LiteLLM" : "Redis"} is unreachable${s.downSince ? ` since ${utcStamp(s.downSince)}` : ""}`}>
          {s.error}. {s.lastOkAt ? `Last answered ${utcStamp(s.lastOkAt)}; ` : ""}
          {overview.data?.watermarkMs ? `the data below is complete up to ${utcStamp(overview.data.watermarkMs)}.` : null}
        </Banner>
      ))}
      {health.data?.pipeline.limiter?.state === "invisible" ? (
        <Banner tone="info" title="LiteLLM's own view is not visible">
          {health.data.pipeline.limiter.message}. The &ldquo;LiteLLM believes&rdquo; column stays empty; the true concurrency from spend logs is unaffected.
        </Banner>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <OverviewFilters table={url.table} teams={overview.data?.teams ?? []} onChange={url.setTable} />
          {canEditLimits && url.table.team && teamEdit !== url.table.team ? (
            <button
              type="button"
              onClick={() => setTeamEdit(url.table.team)}
              className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
            >
              Change this team&apos;s limits
            </button>
          ) : null}
        </div>
        <div className="flex items-center gap-3">
          {overview.data?.watermarkMs ? (
            <span className="text-xs text-zinc-500 dark:text-zinc-400" title={`Spend-log rows appear after a request ends and the proxy flushes them; everything up to ${utcStamp(overview.data.watermarkMs)} is in`}>
              truth as of {formatDuration(Math.max(0, Date.now() - overview.data.watermarkMs))} ago
            </span>
          ) : null}
          <RangePicker value={url.range} onChange={url.setPreset} />
        </div>
      </div>
      {teamEdit && teamEdit === url.table.team ? <TeamLimitsPanel key={teamEdit} team={teamEdit} onClose={() => setTeamEdit(null)} /> : null}
      {overview.isPending ? (
        <SkeletonRows rows={6} label="Loading keys" />
      ) : overview.isError && !overview.data ? (
        <Banner title="Could not load the keys">{overview.error.message}</Banner>
      ) : overview.data ? (
        <OverviewBody
          data={overview.data}
          onSort={onSort}
          url={url}
          error={overview.isError ? overview.error.message : null}
          unlogged429s={health.data?.pipeline.tracker?.errorLogs === "missing"}
        />
      ) : null}
    </div>
  );
}

function OverviewBody({
  data,
  url,
  onSort,
  error,
  unlogged429s,
}: {
  data: NonNullable<ReturnType<typeof useOverview>["data"]>;
  url: ReturnType<typeof useOverviewUrl>;
  onSort: (c: SortColumn) => void;
  error: string | null;
  unlogged429s: boolean;
}) {
  if (data.rows.length === 0) {
    return (
      <EmptyState title="No keys yet">
        Inflight reads the proxy&apos;s keys from <code className="font-mono">/key/list</code> when it starts and every half minute. Create a
        virtual key on the proxy (with <code className="font-mono">max_parallel_requests</code> set, to have a limit to watch) and it appears here.
      </EmptyState>
    );
  }
  const rows = sortRows(filterRows(data.rows, url.table), url.table);
  return (
    <>
      {error ? <Banner tone="warning" title="Refreshing failed; showing the last data">{error}</Banner> : null}
      <OverviewSummary rows={data.rows} />
      {rows.length === 0 ? (
        <EmptyState title="No key matches the filter">Clear the search or the team filter to see all {data.rows.length} keys.</EmptyState>
      ) : (
        <OverviewTable rows={rows} table={url.table} onSort={onSort} unlogged429s={unlogged429s} />
      )}
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {rows.length} of {data.rows.length} keys · {utcStamp(data.fromMs)} – {utcStamp(data.toMs)} · truth from spend logs, belief from LiteLLM&apos;s Redis keys ·{" "}
        {liveSource(data.tracker)}
      </p>
    </>
  );
}

/** Where "in flight now" comes from, in words: the live tracker (and when it was last seen) or the spend logs. */
function liveSource(tracker: Overview["tracker"]): string {
  if (tracker?.live) return "in flight now: live, from Inflight's LiteLLM callback";
  if (tracker?.lastSeenMs) return `in flight now: from spend logs (the LiteLLM callback was last seen ${utcStamp(tracker.lastSeenMs)})`;
  return "in flight now: from spend logs (mount Inflight's LiteLLM callback for live counts)";
}
