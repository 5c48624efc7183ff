import type { Sqlite } from "../store/sqlite";

export interface KeyMetrics {
  hash: string;
  alias: string;
  limit: number | null;
  /** Most requests in flight in the last complete second before the ingest watermark (truth). */
  inFlight: number;
  /** Most in flight from 5 minutes before the watermark to the newest stored second (truth, provisional part included). */
  peak5m: number;
  rejected5m: number;
  /** LiteLLM's latest belief from Redis, when sampled. */
  believed: number | null;
  rawCounter: number | null;
}

export interface MetricsSnapshot {
  keys: KeyMetrics[];
  /** Every request that ended before this is stored; null before the first poll. */
  watermarkMs: number | null;
}

/** What /metrics reports, read per key along the (key, time) clustered tables. */
export function metricsSnapshot(db: Sqlite): MetricsSnapshot {
  const cursor = db.prepare("SELECT end_watermark_ms AS w, complete_before_ms AS c FROM ingest_cursor WHERE source = 'spend-logs'").get() as
    | { w: number; c: number }
    | undefined;
  const watermarkMs = cursor ? Math.max(Number(cursor.w), Number(cursor.c)) : null;
  const keys = db.prepare("SELECT id, hash, COALESCE(alias, '') AS alias, max_parallel_requests AS mpr FROM key WHERE in_catalog = 1 ORDER BY id").all() as {
    id: number;
    hash: string;
    alias: string;
    mpr: number | null;
  }[];
  const window = db.prepare(
    "SELECT COALESCE(MAX(max_in_flight), 0) AS m, COALESCE(SUM(rejected), 0) AS r FROM series_1s WHERE key_id = ? AND sec >= ? AND sec < ?",
  );
  const latest = db.prepare(
    "SELECT believed_in_flight AS b, raw_counter AS raw FROM limiter_sample WHERE key_id = ? ORDER BY at_ms DESC LIMIT 1",
  );
  const wSec = watermarkMs === null ? null : Math.floor(watermarkMs / 1000);
  return {
    watermarkMs,
    keys: keys.map((k) => {
      const last = wSec === null ? { m: 0, r: 0 } : (window.get(k.id, wSec - 1, wSec) as { m: number; r: number });
      const five = wSec === null ? { m: 0, r: 0 } : (window.get(k.id, wSec - 300, Number.MAX_SAFE_INTEGER) as { m: number; r: number });
      const s = latest.get(k.id) as { b: number | null; raw: number | null } | undefined;
      return {
        hash: k.hash,
        alias: k.alias,
        limit: k.mpr === null ? null : Number(k.mpr),
        inFlight: Number(last.m),
        peak5m: Number(five.m),
        rejected5m: Number(five.r),
        believed: s?.b ?? null,
        rawCounter: s?.raw ?? null,
      };
    }),
  };
}
