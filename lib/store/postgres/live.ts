// The tracker's live seconds on Postgres: a small table (minutes of seconds), not partitioned; a
// batch is one upsert keeping the larger count of a second written twice.
import type { LiveBucket, LiveSecondRow, LiveSeriesRepository } from "../../tracker/repository";
import type { Pool } from "./connection";

export class PgLiveSeriesRepository implements LiveSeriesRepository {
  constructor(private readonly pool: Pool) {}

  async write(rows: LiveSecondRow[]): Promise<void> {
    if (rows.length === 0) return;
    // One statement may not upsert a row twice: the larger count of a second goes in; in key order
    // (row locks taken in one order by concurrent writers).
    const bySecond = new Map<string, LiveSecondRow>();
    for (const r of rows) {
      const k = `${r.keyId}:${r.sec}`;
      if ((bySecond.get(k)?.maxInFlight ?? -1) < r.maxInFlight) bySecond.set(k, r);
    }
    const xs = [...bySecond.values()].sort((a, b) => a.keyId - b.keyId || a.sec - b.sec);
    await this.pool.query(
      `INSERT INTO live_second (key_id, sec, max_in_flight)
       SELECT * FROM unnest($1::int[], $2::bigint[], $3::int[])
       ON CONFLICT (key_id, sec) DO UPDATE SET max_in_flight = greatest(live_second.max_in_flight, excluded.max_in_flight)`,
      [xs.map((r) => r.keyId), xs.map((r) => r.sec), xs.map((r) => r.maxInFlight)],
    );
  }

  async buckets(keyId: number, fromSec: number, toSec: number, bucketSec: number): Promise<LiveBucket[]> {
    const base = Math.floor(fromSec / bucketSec) * bucketSec;
    const { rows } = await this.pool.query(
      `SELECT $4::bigint + (sec - $4::bigint) / $5::bigint * $5::bigint AS t, max(max_in_flight) AS m
       FROM live_second WHERE key_id = $1 AND sec >= $2 AND sec < $3 GROUP BY t ORDER BY t`,
      [keyId, fromSec, toSec, base, bucketSec],
    );
    return rows.map((r) => ({ t: Number(r.t), maxInFlight: Number(r.m) }));
  }

  async peaks(keyIds: number[], fromSec: number, toSec: number): Promise<Map<number, number>> {
    if (keyIds.length === 0) return new Map();
    const { rows } = await this.pool.query(
      "SELECT key_id, max(max_in_flight) AS m FROM live_second WHERE key_id = ANY($1::int[]) AND sec >= $2 AND sec < $3 GROUP BY key_id",
      [keyIds, fromSec, toSec],
    );
    return new Map(rows.map((r) => [Number(r.key_id), Number(r.m)]));
  }

  async pruneBefore(sec: number): Promise<number> {
    const res = await this.pool.query("DELETE FROM live_second WHERE sec < $1", [sec]);
    return res.rowCount ?? 0;
  }
}
