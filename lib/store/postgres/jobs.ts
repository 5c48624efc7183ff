// Runner job outcomes on Postgres: one upsert per outcome; stats as JSON text in the TEXT column
// (the schema's, shared with SQLite), dates as ISO strings in, Dates out (see connection.ts).
import type { JobStatus, JobStatusRepository } from "../../runner/repository";
import { pgDate, type Pool } from "./connection";

export class PgJobStatusRepository implements JobStatusRepository {
  constructor(private readonly pool: Pool) {}

  async recordOk(name: string, holder: string, stats: Record<string, unknown>, at = new Date()): Promise<void> {
    await this.pool.query(
      `INSERT INTO runner_job (name, holder, last_run_at, last_ok_at, last_error, failing_since, stats)
       VALUES ($1, $2, $3::timestamp, $3::timestamp, NULL, NULL, $4)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, last_run_at = excluded.last_run_at,
         last_ok_at = excluded.last_ok_at, last_error = NULL, failing_since = NULL, stats = excluded.stats`,
      [name, holder, pgDate(at), JSON.stringify(stats)],
    );
  }

  async recordFailure(name: string, holder: string, error: string, at = new Date()): Promise<void> {
    await this.pool.query(
      `INSERT INTO runner_job (name, holder, last_run_at, last_error, failing_since, stats)
       VALUES ($1, $2, $3::timestamp, $4, $3::timestamp, '{}')
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, last_run_at = excluded.last_run_at,
         last_error = excluded.last_error, failing_since = COALESCE(runner_job.failing_since, excluded.failing_since)`,
      [name, holder, pgDate(at), error],
    );
  }

  async all(): Promise<JobStatus[]> {
    const { rows } = await this.pool.query("SELECT * FROM runner_job ORDER BY name");
    return rows.map((r) => ({
      name: r.name,
      holder: r.holder,
      lastRunAt: r.last_run_at,
      lastOkAt: r.last_ok_at,
      lastError: r.last_error,
      failingSince: r.failing_since,
      stats: parseStats(r.stats),
    }));
  }
}

/** The stats column is JSON text written by recordOk; anything else reads as no stats. */
function parseStats(s: unknown): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(String(s ?? "{}"));
    return v !== null && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
