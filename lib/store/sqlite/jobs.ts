import type { JobStatus, JobStatusRepository } from "../../runner/repository";
import { fromSqlDate, sqlDate, type Sqlite } from "./connection";

export class SqliteJobStatusRepository implements JobStatusRepository {
  private readonly stmt;

  constructor(db: Sqlite) {
    this.stmt = {
      ok: db.prepare(
        `INSERT INTO runner_job (name, holder, last_run_at, last_ok_at, last_error, failing_since, stats)
         VALUES (@name, @holder, @now, @now, NULL, NULL, @stats)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, last_run_at = excluded.last_run_at,
           last_ok_at = excluded.last_ok_at, last_error = NULL, failing_since = NULL, stats = excluded.stats`,
      ),
      failed: db.prepare(
        `INSERT INTO runner_job (name, holder, last_run_at, last_error, failing_since, stats)
         VALUES (@name, @holder, @now, @error, @now, '{}')
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, last_run_at = excluded.last_run_at,
           last_error = excluded.last_error, failing_since = COALESCE(runner_job.failing_since, excluded.failing_since)`,
      ),
      all: db.prepare("SELECT * FROM runner_job ORDER BY name"),
    };
  }

  async recordOk(name: string, holder: string, stats: Record<string, unknown>, at = new Date()): Promise<void> {
    this.stmt.ok.run({ name, holder, now: sqlDate(at), stats: JSON.stringify(stats) });
  }

  async recordFailure(name: string, holder: string, error: string, at = new Date()): Promise<void> {
    this.stmt.failed.run({ name, holder, now: sqlDate(at), error });
  }

  async all(): Promise<JobStatus[]> {
    return (this.stmt.all.all() as Record<string, string | null>[]).map((r) => ({
      name: r.name!,
      holder: r.holder,
      lastRunAt: fromSqlDate(r.last_run_at),
      lastOkAt: fromSqlDate(r.last_ok_at),
      lastError: r.last_error,
      failingSince: fromSqlDate(r.failing_since),
      stats: parseStats(r.stats),
    }));
  }
}

/** The stats column is JSON text written by recordOk; anything else reads as no stats. */
export function parseStats(s: unknown): Record<string, unknown> {
  if (s !== null && typeof s === "object") return s as Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(String(s ?? "{}"));
    return v !== null && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
