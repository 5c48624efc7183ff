import type { RetentionPolicy, RetentionRepository } from "../../retention/repository";
import { writeTx, type Sqlite } from "./connection";

/**
 * Deletes what is older than the policy keeps, key by key (the tables are clustered by key then
 * time, so each delete is one contiguous range), one short transaction per key and table.
 */
export class SqliteRetentionRepository implements RetentionRepository {
  constructor(private readonly db: Sqlite) {}

  async apply(policy: RetentionPolicy, nowMs: number): Promise<Record<string, number>> {
    const db = this.db;
    const keyIds = db.prepare("SELECT id FROM key").pluck().all() as number[];
    const plans: [string, string, number][] = [
      ["request", "DELETE FROM request WHERE key_id = ? AND start_ms < ?", nowMs - policy.requestsMs],
      ["series_1s", "DELETE FROM series_1s WHERE key_id = ? AND sec < ?", Math.floor((nowMs - policy.secondsMs) / 1000)],
      ["series_1m", "DELETE FROM series_1m WHERE key_id = ? AND minute < ?", Math.floor((nowMs - policy.minutesMs) / 1000)],
      // The hourly roll-up is kept as long as the minute one it is made from.
      ["series_1h", "DELETE FROM series_1h WHERE key_id = ? AND hour < ?", Math.floor((nowMs - policy.minutesMs) / 1000)],
      ["limiter_sample", "DELETE FROM limiter_sample WHERE key_id = ? AND at_ms < ?", nowMs - policy.samplesMs],
    ];
    const deleted: Record<string, number> = {};
    for (const [table, sql, cutoff] of plans) {
      const stmt = db.prepare(sql);
      deleted[table] = 0;
      for (const id of keyIds) deleted[table] += writeTx(db, () => stmt.run(id, cutoff).changes);
    }
    return deleted;
  }
}
