// LiteLLM's sampled belief on Postgres: ~1 row per key per second, in hour partitions. A batch is
// one upsert (unnest; ON CONFLICT (key_id, at_ms) replaces, as SQLite's INSERT OR REPLACE); the
// newest sample of many keys is one query: a LATERAL probe per key that walks the key's index
// backwards through the newest partitions first and stops at the first row.
import type { BeliefBucket, LatestBelief, LimiterSampleRepository, StoredSample } from "../../limiter/repository";
import { intBound, type Pool } from "./connection";
import { PARTITIONED, type Partitions } from "./partitions";

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export class PgSampleRepository implements LimiterSampleRepository {
  constructor(
    private readonly pool: Pool,
    private readonly partitions: Partitions,
  ) {}

  async insert(samples: StoredSample[]): Promise<void> {
    if (samples.length === 0) return;
    // One statement may not upsert a row twice: the last sample of a key at an instant wins.
    const byInstant = new Map<string, StoredSample>();
    for (const s of samples) byInstant.set(`${s.keyId}:${s.atMs}`, s);
    // In key order, so two writers of overlapping batches take row locks in the same order.
    const xs = [...byInstant.values()].sort((a, b) => a.keyId - b.keyId || a.atMs - b.atMs);
    await this.partitions.writing([[PARTITIONED.samples, xs.map((s) => s.atMs)]], () =>
      this.pool.query(
        `INSERT INTO limiter_sample (key_id, at_ms, era, believed_in_flight, raw_counter, window_start_s, requests, tokens)
         SELECT * FROM unnest($1::int[], $2::bigint[], $3::text[], $4::int[], $5::float8[], $6::bigint[], $7::float8[], $8::float8[])
         ON CONFLICT (key_id, at_ms) DO UPDATE SET era = excluded.era, believed_in_flight = excluded.believed_in_flight,
           raw_counter = excluded.raw_counter, window_start_s = excluded.window_start_s, requests = excluded.requests, tokens = excluded.tokens`,
        [
          xs.map((s) => s.keyId),
          xs.map((s) => s.atMs),
          xs.map((s) => s.era),
          xs.map((s) => s.believedInFlight),
          xs.map((s) => s.rawCounter),
          xs.map((s) => s.windowStartS),
          xs.map((s) => s.requests),
          xs.map((s) => s.tokens),
        ],
      ),
    );
  }

  async latest(keyIds: number[], sinceMs: number): Promise<Map<number, LatestBelief>> {
    const out = new Map<number, LatestBelief>();
    if (keyIds.length === 0) return out;
    const { rows } = await this.pool.query(
      `SELECT q.key_id, s.at_ms, s.believed_in_flight AS believed, s.raw_counter AS raw
       FROM unnest($1::int[]) AS q(key_id)
       CROSS JOIN LATERAL (
         SELECT at_ms, believed_in_flight, raw_counter FROM limiter_sample WHERE key_id = q.key_id AND at_ms >= $2
         ORDER BY at_ms DESC LIMIT 1) s`,
      // The lower bound also prunes the hourly partitions older than it.
      [keyIds, intBound(sinceMs)],
    );
    for (const r of rows) out.set(Number(r.key_id), { atMs: Number(r.at_ms), believed: num(r.believed), rawCounter: num(r.raw) });
    return out;
  }

  async buckets(keyId: number, fromSec: number, toSec: number, bucketSec: number): Promise<BeliefBucket[]> {
    const base = Math.floor(fromSec / bucketSec) * bucketSec;
    // at_ms / 1000 and the bucket number: bigint division (truncating), as SQLite's integer division.
    const { rows } = await this.pool.query(
      `SELECT $4::bigint + (at_ms / 1000 - $4::bigint) / $5::bigint * $5::bigint AS t,
              max(believed_in_flight) AS believed, min(raw_counter) AS raw_min, max(raw_counter) AS raw_max, max(era) AS era
       FROM limiter_sample WHERE key_id = $1 AND at_ms >= $2 AND at_ms < $3
       GROUP BY t ORDER BY t`,
      [keyId, intBound(fromSec * 1000), intBound(toSec * 1000), base, bucketSec],
    );
    return rows.map((r) => ({ t: Number(r.t), believed: num(r.believed), rawMin: num(r.raw_min), rawMax: num(r.raw_max), era: String(r.era) }));
  }
}
