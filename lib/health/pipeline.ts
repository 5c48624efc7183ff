import type { JobStatus } from "../runner/repository";

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
  limiter: { state: string; message: string } | null;
  limiterSampleError: string | null;
  jobs: JobStatus[];
}

/** A job not run for this long means no runner is alive. */
const STALE_MS = 120_000;

/** Pure summary of the runner's jobs at `now`. */
export function summarisePipeline(jobs: JobStatus[], now = new Date()): PipelineStatus {
  const ingest = jobs.find((j) => j.name === "ingest");
  const lease = jobs.find((j) => j.name === "lease");
  const discovery = jobs.find((j) => j.name === "limiter-discovery");
  const sampler = jobs.find((j) => j.name === "limiter-sampler");
  const stats = ingest?.stats ?? {};
  const totals = (stats.totals ?? {}) as { problems?: Record<string, number> };
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
    limiter: discovery && typeof discovery.stats.message === "string" ? { state: String(discovery.stats.state), message: discovery.stats.message } : null,
    limiterSampleError: sampler?.failingSince ? sampler.lastError : null,
    jobs,
  };
}
