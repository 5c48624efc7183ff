"use client";

import { formatDuration } from "@/lib/view/format/duration";
import { ago, utcStamp } from "@/lib/view/format/time";
import type { PipelineStatusView, ServiceStateView } from "@/lib/api/health";
import { useHealth } from "./use-health";
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
          <TrackerPill t={health.data.pipeline.tracker} now={now} />
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

/**
 * Whether live truth comes in (Inflight's LiteLLM callback) and since when; 429s missing from spend
 * logs turn its dot amber and are said in its tooltip (the header has no room for more words).
 */
function TrackerPill({ t, now }: { t: NonNullable<PipelineStatusView["tracker"]>; now: number }) {
  const detail = { live: t.since ? `since ${shortTime(t.since)}` : "live", quiet: t.lastSeenAt ? `seen ${ago(t.lastSeenAt, now)}` : "quiet", never: "not seen" }[t.state];
  const title = [
    {
      live: "Live: Inflight's LiteLLM callback records every request's start and end; \"in flight now\" is live",
      quiet: "The LiteLLM callback wrote nothing lately: the proxy is idle, or the callback was removed; \"in flight now\" comes from spend logs",
      never: "No LiteLLM callback has written here: mount integrations/litellm/inflight_tracker.py in the proxy for live counts",
    }[t.state],
    t.since ? `Writers running since ${utcStamp(t.since)}` : null,
    t.lastSeenAt ? `Last seen ${utcStamp(t.lastSeenAt)}` : null,
    t.lostEnds ? `Lost ends (open longer than INFLIGHT_TRACKER_MAX_AGE_S): ${t.lostEnds.toLocaleString("en-US")}` : null,
    t.dropped ? `Events the callback dropped (its Redis unreachable): ${t.dropped.toLocaleString("en-US")}` : null,
    t.errorLogs === "missing"
      ? "The proxy's 429s are missing from its spend logs (disable_error_logs?): 429 counts and stuck detection from spend logs see none; the callback counts them"
      : null,
  ]
    .filter(Boolean)
    .join("\n");
  // Never seen is a choice (no callback mounted), not a fault: a grey dot.
  return (
    <Pill
      ok
      warn={t.state === "quiet" || t.errorLogs === "missing"}
      muted={t.state === "never"}
      label="Live"
      detail={detail}
      title={title}
      testId="health-tracker"
      wideOnly
    />
  );
}

/** "14:02" (UTC, as the rest of the header's times). */
function shortTime(d: string): string {
  return utcStamp(d).slice(11, 16);
}

function Pill({
  ok,
  warn = false,
  muted = false,
  wideOnly = false,
  label,
  detail,
  title,
  testId,
}: {
  ok: boolean;
  warn?: boolean;
  muted?: boolean;
  /** The detail only on wide screens (the tooltip always has it): the header must fit at 1280 px. */
  wideOnly?: boolean;
  label: string;
  detail: string;
  title: string;
  testId?: string;
}) {
  return (
    <span
      data-testid={testId}
      data-ok={ok}
      title={title}
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full border px-2.5 py-1 text-xs ${
        ok
          ? "border-zinc-200 text-zinc-600 dark:border-zinc-700 dark:text-zinc-300"
          : "border-rose-300 bg-rose-50 text-rose-700 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-300"
      }`}
    >
      <span className={`h-2 w-2 rounded-full ${!ok ? "bg-rose-500" : warn ? "bg-amber-500" : muted ? "bg-zinc-300 dark:bg-zinc-600" : "bg-emerald-500"}`} aria-hidden />
      <span className="font-medium">{label}</span>
      <span className={`text-zinc-400 dark:text-zinc-500 ${wideOnly ? "hidden min-[1400px]:inline" : ""}`}>{detail}</span>
      <span className="sr-only">{ok ? "reachable" : "unreachable"}</span>
    </span>
  );
}
