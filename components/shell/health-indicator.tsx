"use client";

import { formatDuration } from "@/lib/view/format/duration";
import { ago, utcStamp } from "@/lib/view/format/time";
import type { PipelineStatusView, ServiceStateView } from "@/lib/api/health";
import { useHealth } from "./use-health";
import { Pill } from "./pill";
import { TrackerStatus } from "./tracker-status";
import { useNow } from "./use-now";

const LABELS: Record<string, string> = { litellm: "LiteLLM", redis: "Redis" };
/** Checks run every few seconds: an answer older than this is worth saying. */
const STALE_MS = 30_000;

export function HealthIndicator() {
  const health = useHealth();
  const now = useNow();

  if (health.isPending) {
    return <div className="h-7 w-56 animate-pulse rounded-full bg-zinc-100 dark:bg-zinc-800" aria-label="Checking services" />;
  }
  if (health.isError) {
    return (
      <Pill ok={false} label="Inflight" detail="server not answering" title={health.error.message} />
    );
  }
  return (
    <ul className="flex items-center gap-2" aria-label="Service health">
      {health.data.services.map((s) => (
        <li key={s.service}>
          <ServicePill state={s} now={now} />
        </li>
      ))}
      <li>
        <PipelinePill p={health.data.pipeline} now={now} />
      </li>
      {health.data.pipeline.tracker ? (
        <li>
          <TrackerStatus t={health.data.pipeline.tracker} now={now} />
        </li>
      ) : null}
    </ul>
  );
}

function ServicePill({ state, now }: { state: ServiceStateView; now: number }) {
  const label = LABELS[state.service] ?? state.service;
  // A fresh answer says only its latency (the header has room for little): its age is in the tooltip, and shown once it grows stale.
  const stale = now - new Date(state.checkedAt).getTime() > STALE_MS;
  const detail = state.ok
    ? `${state.latencyMs ?? "?"} ms${stale ? ` · ${ago(state.checkedAt, now)}` : ""}`
    : state.lastOkAt
      ? `down · last answered ${ago(state.lastOkAt, now)}`
      : "unreachable";
  const title = state.ok
    ? `${label} answered at ${utcStamp(state.checkedAt)} in ${state.latencyMs} ms`
    : `${label} unreachable since ${state.downSince ? utcStamp(state.downSince) : "?"}` +
      (state.lastOkAt ? `; last answered ${utcStamp(state.lastOkAt)}` : "; never answered") +
      (state.error ? `\n${state.error}` : "");
  return <Pill ok={state.ok} label={label} detail={detail} title={title} testId={`health-${state.service}`} />;
}

function PipelinePill({ p, now }: { p: PipelineStatusView; now: number }) {
  const skipped = Object.values(p.skippedRows).reduce((a, b) => a + b, 0);
  // Late rows in the last quarter hour are worth a glance: the proxy's database is slow, and the past was corrected.
  const recentLate = p.lateRows.lastAt !== null && now - new Date(p.lateRows.lastAt).getTime() < 15 * 60_000;
  const detail = {
    ok: `lag ${p.lagMs === null ? "?" : formatDuration(p.lagMs)}` + (recentLate ? ` · ${p.lateRows.rows.toLocaleString("en-US")} late rows` : ""),
    "catching-up": `catching up · ${p.lagMs === null ? "?" : formatDuration(p.lagMs)} behind`,
    failing: p.failingSince ? `failing since ${ago(p.failingSince, now)}` : "failing",
    stale: p.lastPollAt ? `stopped · last poll ${ago(p.lastPollAt, now)}` : "stopped",
    idle: "not started",
  }[p.state];
  const title = [
    p.lastPollAt ? `Last spend-log poll: ${utcStamp(p.lastPollAt)}` : "No spend-log poll yet",
    p.lagMs !== null ? `Stored data is complete up to ${formatDuration(p.lagMs)} ago` : null,
    p.rowsPerS ? `Reading ${p.rowsPerS.toLocaleString("en-US")} spend-log rows/s` : null,
    p.error ? `Error: ${p.error}` : null,
    skipped ? `Skipped rows: ${Object.entries(p.skippedRows).map(([k, v]) => `${k} ${v}`).join(", ")}` : null,
    p.flushLagMs !== null ? `Rows are assumed to appear within ${formatDuration(p.flushLagMs)} of their request's end (INGEST_FLUSH_LAG_S, or more when seen later)` : null,
    p.lateRows.rows
      ? `Late rows since the runner started: ${p.lateRows.rows.toLocaleString("en-US")} (up to ${formatDuration(p.lateRows.maxDelayMs)} after their end` +
        `${p.lateRows.lastAt ? `, last ${ago(p.lateRows.lastAt, now)}` : ""}; ${p.lateRows.byReconcile.toLocaleString("en-US")} found by the reconcile pass), stored and the series corrected`
      : null,
    p.reconcile
      ? p.reconcile.skipped
        ? `Reconcile: ${p.reconcile.skipped}`
        : `Reconcile: last pass ${ago(p.reconcile.at, now)}, ${p.reconcile.windowsChecked} windows checked, ${p.reconcile.windowsRead} re-read${p.reconcile.complete ? "" : " (continuing)"}`
      : null,
    p.limiter ? `Limiter: ${p.limiter.message}` : null,
    p.limiterSampleError ? `Limiter sampling: ${p.limiterSampleError}` : null,
    p.holder ? `Runner: ${p.holder}` : null,
  ]
    .filter(Boolean)
    .join("\n");
  const tone = p.state === "ok" && !recentLate ? "ok" : p.state === "ok" || p.state === "catching-up" || p.state === "idle" ? "warn" : "bad";
  return <Pill ok={tone !== "bad"} warn={tone === "warn"} label="Ingest" detail={detail} title={title} testId="health-ingest" />;
}
