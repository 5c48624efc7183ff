import type { JobStatus } from "../runner/repository";
import { agreementConcern, type AgreementReport } from "../tracker/agreement";

/** The runner's work as the header and /api/health summarise it. */
export interface PipelineStatus {
  /** ok: polling and current; catching-up: reading history; failing: the last poll failed; idle: no runner has run. */
  state: "ok" | "catching-up" | "failing" | "idle" | "stale";
  holder: string | null;
  lastPollAt: Date | null;
  lagMs: number | null;
  rowsPerS: number | null;
  error: string | null;
  failingSince: Date | null;
  /** Rows skipped since the runner started, by reason (never silently). */
  skippedRows: Record<string, number>;
  /** The flush lag ingest assumes now: the setting, or more when rows were seen to appear later. */
  flushLagMs: number | null;
  /** Rows stored after the cursor had said they were in, since the runner started: how many, the longest delay, the last time, how many the reconcile pass found. */
  lateRows: { rows: number; maxDelayMs: number; lastAt: Date | null; byReconcile: number };
  /** The last reconcile pass over settled windows, null before the first. */
  reconcile: { at: Date; windowsChecked: number; windowsRead: number; lateRows: number; complete: boolean; skipped: string | null } | null;
  limiter: { state: string; message: string } | null;
  limiterSampleError: string | null;
  /** The live tracker (Inflight's LiteLLM callback), when a tracker Redis is configured: null otherwise. */
  tracker: TrackerStatus | null;
  jobs: JobStatus[];
}

export interface TrackerStatus {
  /** live: a writer beat within a minute; quiet: seen before, not lately (an idle proxy, or the callback removed); never: nothing written yet. */
  state: "live" | "quiet" | "never";
  lastSeenAt: Date | null;
  since: Date | null;
  /** Open requests pruned as older than the max age (ends that never came), since the runner started. */
  lostEnds: number;
  /** Events the writers dropped (their Redis unreachable), as they report. */
  dropped: number;
  /** Whether the proxy logs its 429s to spend logs (see lib/tracker/error-logs.ts). */
  errorLogs: "missing" | "present" | "unknown";
  /** Tracker intervals against spend-log rows over the last hour (lib/tracker/agreement.ts), with what to look at; null before the first report. */
  agreement: (AgreementReport & { concern: string | null }) | null;
}

/** A job not run for this long means no runner is alive. */
const STALE_MS = 120_000;

/** Pure summary of the runner's jobs at `now`. */
export function summarisePipeline(jobs: JobStatus[], now = new Date()): PipelineStatus {
  const ingest = jobs.find((j) => j.name === "ingest");
  const lease = jobs.find((j) => j.name === "lease");
  const discovery = jobs.find((j) => j.name === "limiter-discovery");
  const sampler = jobs.find((j) => j.name === "limiter-sampler");
  const tracker = jobs.find((j) => j.name === "tracker");
  const stats = ingest?.stats ?? {};
  const totals = (stats.totals ?? {}) as { problems?: Record<string, number>; late?: { rows: number; maxDelayMs: number; lastAt: string | null; byReconcile: number } };
  const late = totals.late;
  const rec = stats.reconcile as { at: string; windowsChecked: number; windowsRead: number; lateRows: number; complete: boolean; skipped: string | null } | null | undefined;
  let state: PipelineStatus["state"] = "idle";
  if (ingest?.lastRunAt) {
    if (now.getTime() - ingest.lastRunAt.getTime() > STALE_MS) state = "stale";
    else if (ingest.failingSince) state = "failing";
    else state = stats.mode === "catch-up" ? "catching-up" : "ok";
  }
  return {
    state,
    holder: (lease?.stats.holder as string | undefined) ?? ingest?.holder ?? null,
    lastPollAt: ingest?.lastOkAt ?? null,
    lagMs: typeof stats.lagMs === "number" ? stats.lagMs : null,
    rowsPerS: typeof stats.rowsPerS === "number" ? stats.rowsPerS : null,
    error: ingest?.lastError ?? null,
    failingSince: ingest?.failingSince ?? null,
    skippedRows: totals.problems ?? {},
    flushLagMs: typeof stats.flushLagMs === "number" ? stats.flushLagMs : null,
    lateRows: late
      ? { rows: late.rows, maxDelayMs: late.maxDelayMs, lastAt: late.lastAt ? new Date(late.lastAt) : null, byReconcile: late.byReconcile }
      : { rows: 0, maxDelayMs: 0, lastAt: null, byReconcile: 0 },
    reconcile: rec ? { ...rec, at: new Date(rec.at) } : null,
    limiter: discovery && typeof discovery.stats.message === "string" ? { state: String(discovery.stats.state), message: discovery.stats.message } : null,
    limiterSampleError: sampler?.failingSince ? sampler.lastError : null,
    tracker: tracker ? trackerStatus(tracker.stats, now) : null,
    jobs,
  };
}

/** A writer beat within this long: live (as lib/tracker/live.ts's LIVE_TRUST_MS). */
const TRACKER_LIVE_MS = 60_000;

function trackerStatus(stats: Record<string, unknown>, now: Date): TrackerStatus {
  const n = (v: unknown) => (typeof v === "number" ? v : null);
  const lastSeenMs = n(stats.lastSeenMs);
  const errorLogs = (stats.errorLogs as { verdict?: string } | undefined)?.verdict;
  return {
    state: lastSeenMs === null ? "never" : now.getTime() - lastSeenMs < TRACKER_LIVE_MS ? "live" : "quiet",
    lastSeenAt: lastSeenMs === null ? null : new Date(lastSeenMs),
    since: n(stats.sinceMs) === null ? null : new Date(n(stats.sinceMs)!),
    lostEnds: n(stats.lostTotal) ?? 0,
    dropped: n(stats.dropped) ?? 0,
    errorLogs: errorLogs === "missing" || errorLogs === "present" ? errorLogs : "unknown",
    agreement: agreementOf(stats.agreement as AgreementReport | undefined),
  };
}

function agreementOf(r: AgreementReport | undefined): TrackerStatus["agreement"] {
  return r ? { ...r, concern: agreementConcern(r) } : null;
}
