import type { LiveBucket, LiveSecondRow, LiveSeriesRepository } from "../../tracker/repository";
import { writeTx, type Sqlite } from "./connection";

/** The tracker's live seconds in SQLite (clustered by key then second). */
export class SqliteLiveSeriesRepository implements LiveSeriesRepository {
  private readonly stmt;

  constructor(private readonly db: Sqlite) {
    this.stmt = {
      write: db.prepare(
        `INSERT INTO live_second (key_id, sec, max_in_flight) VALUES (?, ?, ?)
         ON CONFLICT (key_id, sec) DO UPDATE SET max_in_flight = max(max_in_flight, excluded.max_in_flight)`,
      ),
      buckets: db.prepare(
        `SELECT (sec - ?) / ? AS b, MAX(max_in_flight) AS m FROM live_second WHERE key_id = ? AND sec >= ? AND sec < ? GROUP BY b ORDER BY b`,
      ),
      peak: db.prepare("SELECT MAX(max_in_flight) AS m FROM live_second WHERE key_id = ? AND sec >= ? AND sec < ?"),
      prune: db.prepare("DELETE FROM live_second WHERE sec < ?"),
    };
  }

  async write(rows: LiveSecondRow[]): Promise<void> {
    writeTx(this.db, () => {
      for (const r of rows) this.stmt.write.run(r.keyId, r.sec, r.maxInFlight);
    });
  }

  async buckets(keyId: number, fromSec: number, toSec: number, bucketSec: number): Promise<LiveBucket[]> {
    const base = Math.floor(fromSec / bucketSec) * bucketSec;
    // Bound as integers: SQLite divides a bound JS number as a real.
    const rows = this.stmt.buckets.all(BigInt(base), BigInt(bucketSec), keyId, fromSec, toSec) as { b: number | bigint; m: number }[];
    return rows.map((r) => ({ t: base + Number(r.b) * bucketSec, maxInFlight: Number(r.m) }));
  }

  async peaks(keyIds: number[], fromSec: number, toSec: number): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const id of keyIds) {
      const r = this.stmt.peak.get(id, fromSec, toSec) as { m: number | null };
      if (r.m !== null) out.set(id, Number(r.m));
    }
    return out;
  }

  async pruneBefore(sec: number): Promise<number> {
    return this.stmt.prune.run(sec).changes;
  }
}
