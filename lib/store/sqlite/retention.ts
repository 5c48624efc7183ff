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
    // A series row covers [start, start + width): it goes once all of it is older than the cut-off
    // (start + width <= cut-off, in whole seconds), so a minute or hour straddling the cut-off stays,
    // as a Postgres partition straddling it does. Deleting by start alone dropped the hour holding
    // the cut-off while its newer minutes stayed.
    const seriesBefore = (retainMs: number, widthS: number) => Math.floor((nowMs - retainMs) / 1000) - (widthS - 1);
    const plans: [string, string, number][] = [
      ["request", "DELETE FROM request WHERE key_id = ? AND start_ms < ?", nowMs - policy.requestsMs],
      ["series_1s", "DELETE FROM series_1s WHERE key_id = ? AND sec < ?", seriesBefore(policy.secondsMs, 1)],
      ["series_1m", "DELETE FROM series_1m WHERE key_id = ? AND minute < ?", seriesBefore(policy.minutesMs, 60)],
      // The hourly roll-up is kept as long as the minute one it is made from.
      ["series_1h", "DELETE FROM series_1h WHERE key_id = ? AND hour < ?", seriesBefore(policy.minutesMs, 3600)],
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
