import { sqlDate, type Sqlite } from "../store/sqlite";

export interface JobStatus {
  name: string;
  holder: string | null;
  lastRunAt: string | null;
  lastOkAt: string | null;
  lastError: string | null;
  failingSince: string | null;
  stats: Record<string, unknown>;
}

/** Each runner job's last outcome, in the store so every instance can show it. */
export class JobStatusStore {
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

  recordOk(name: string, holder: string, stats: Record<string, unknown>, at = new Date()): void {
    this.stmt.ok.run({ name, holder, now: sqlDate(at), stats: JSON.stringify(stats) });
  }

  recordFailure(name: string, holder: string, error: string, at = new Date()): void {
    this.stmt.failed.run({ name, holder, now: sqlDate(at), error });
  }

  all(): JobStatus[] {
    return (this.stmt.all.all() as Record<string, string | null>[]).map((r) => ({
      name: r.name!,
      holder: r.holder,
      lastRunAt: r.last_run_at,
      lastOkAt: r.last_ok_at,
      lastError: r.last_error,
      failingSince: r.failing_since,
      stats: JSON.parse(r.stats ?? "{}"),
    }));
  }
}
