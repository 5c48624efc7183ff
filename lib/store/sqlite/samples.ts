import type { BeliefBucket, LatestBelief, LimiterSampleRepository, StoredSample } from "../../limiter/repository";
import { num, writeTx, type Sqlite } from "./connection";

/** LiteLLM's sampled belief in SQLite (clustered by key then time). */
export class SqliteSampleRepository implements LimiterSampleRepository {
  private readonly stmt;

  constructor(private readonly db: Sqlite) {
    this.stmt = {
      insert: db.prepare(
        `INSERT OR REPLACE INTO limiter_sample (key_id, at_ms, era, believed_in_flight, raw_counter, window_start_s, requests, tokens)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      latest: db.prepare("SELECT at_ms, believed_in_flight, raw_counter FROM limiter_sample WHERE key_id = ? AND at_ms >= ? ORDER BY at_ms DESC LIMIT 1").raw(),
      buckets: db.prepare(
        `SELECT (at_ms / 1000 - ?) / ? AS b, MAX(believed_in_flight) AS believed, MIN(raw_counter) AS rawMin, MAX(raw_counter) AS rawMax, MAX(era) AS era
         FROM limiter_sample WHERE key_id = ? AND at_ms >= ? AND at_ms < ? GROUP BY b`,
      ),
    };
  }

  async insert(samples: StoredSample[]): Promise<void> {
    writeTx(this.db, () => {
      for (const s of samples) {
        this.stmt.insert.run(s.keyId, s.atMs, s.era, s.believedInFlight, s.rawCounter, s.windowStartS, s.requests, s.tokens);
      }
    });
  }

  async latest(keyIds: number[], sinceMs: number): Promise<Map<number, LatestBelief>> {
    const out = new Map<number, LatestBelief>();
    for (const keyId of keyIds) {
      const r = this.stmt.latest.get(keyId, sinceMs) as unknown[] | undefined;
      if (r) out.set(keyId, { atMs: Number(r[0]), believed: num(r[1]), rawCounter: num(r[2]) });
    }
    return out;
  }

  async buckets(keyId: number, fromSec: number, toSec: number, bucketSec: number): Promise<BeliefBucket[]> {
    const base = Math.floor(fromSec / bucketSec) * bucketSec;
    const rows = this.stmt.buckets.all(BigInt(base), BigInt(bucketSec), keyId, fromSec * 1000, toSec * 1000) as Record<string, unknown>[];
    return rows.map((r) => ({
      t: base + Number(r.b) * bucketSec,
      believed: num(r.believed),
      rawMin: num(r.rawMin),
      rawMax: num(r.rawMax),
      era: String(r.era),
    }));
  }
}
