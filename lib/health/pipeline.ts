import type { Db } from "../db";

export interface JobView {
  name: string;
  holder: string | null;
  lastRunAt: Date | null;
  lastOkAt: Date | null;
  lastError: string | null;
  failingSince: Date | null;
  stats: Record<string, unknown>;
}

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
  jobs: JobView[];
}

/** A job not run for this long means no runner is alive. */
const STALE_MS = 120_000;

export async function readJobs(db: Db): Promise<JobView[]> {
  const rows = await db.runnerJob.findMany({ orderBy: { name: "asc" } });
  return rows.map((r) => ({ ...r, stats: safeJson(r.stats) }));
}

/** Pure summary of the runner's jobs at `now`. */
export function summarisePipeline(jobs: JobView[], now = new Date()): PipelineStatus {
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

function safeJson(s: string): Record<string, unknown> {
  try {
    return JSON.parse(s) as Record<string, unknown>;
  } catch {
    return {};
  }
}
