import { z } from "zod";
import { metricsSnapshot } from "../metrics/snapshot";
import { KeyQueries } from "../series/key-queries";
import type { Sqlite } from "../store/sqlite";
import { episodesAbove } from "../violations/episodes";
import { keyStatus, severity, type KeyStatus } from "./status";

export interface OverviewRow {
  hash: string;
  alias: string | null;
  teamId: string | null;
  /** False for a key seen in spend logs that the proxy's key list lacks. */
  inCatalog: boolean;
  maxParallelRequests: number | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  /** Truth: most in flight in the last complete second Inflight has (it trails by the flush lag). */
  inFlightNow: number;
  /** LiteLLM's belief from Redis, latest sample; null when not visible. */
  believedNow: number | null;
  peak: number;
  /** peak / limit, null without a limit. */
  peakRatio: number | null;
  violations: number;
  secondsOver: number;
  admitted: number;
  rejected: number;
  /** Max in flight per bucket over the range. */
  sparkline: number[];
  status: KeyStatus;
  severity: number;
}

export interface Overview {
  fromMs: number;
  toMs: number;
  /** Stored truth is complete up to here. */
  watermarkMs: number | null;
  rows: OverviewRow[];
  teams: string[];
}

export const OverviewQuerySchema = z
  .object({ from: z.coerce.number().int().min(0), to: z.coerce.number().int().min(0) })
  .refine((q) => q.to > q.from, { message: "to must be after from", path: ["to"] })
  .refine((q) => q.to - q.from <= 31 * 86_400_000, { message: "a range is at most 31 days", path: ["to"] });

const SPARK_POINTS = 60;
/** Up to this range, aggregates read per-second rows; beyond, the minute roll-up. */
const FINE_RANGE_MS = 3_600_000;

/** Every key with its state over [fromMs, toMs), worst first. */
export function overview(db: Sqlite, maxRequestMs: number, fromMs: number, toMs: number): Overview {
  const q = new KeyQueries(db, maxRequestMs);
  const snap = metricsSnapshot(db);
  const now = new Map(snap.keys.map((k) => [k.hash, k]));
  const fine = toMs - fromMs <= FINE_RANGE_MS;
  const fromSec = Math.floor(fromMs / 1000);
  const toSec = Math.ceil(toMs / 1000);
  const stepSec = fine ? 1 : 60;
  const aggFrom = fine ? fromSec : Math.floor(fromSec / 60) * 60;
  const table = fine ? "series_1s" : "series_1m";
  const col = fine ? "sec" : "minute";
  const agg = db.prepare(
    `SELECT COALESCE(MAX(max_in_flight), 0) AS peak, COALESCE(SUM(admitted), 0) AS a, COALESCE(SUM(rejected), 0) AS r
     FROM ${table} WHERE key_id = ? AND ${col} >= ? AND ${col} < ?`,
  );
  const above = db.prepare(`SELECT ${col} AS sec, max_in_flight AS maxInFlight FROM ${table} WHERE key_id = ? AND ${col} >= ? AND ${col} < ? AND max_in_flight > ? ORDER BY ${col}`);
  const keys = db.prepare("SELECT hash FROM key WHERE in_catalog = 1 OR EXISTS (SELECT 1 FROM request r WHERE r.key_id = key.id) ORDER BY id").pluck().all() as string[];

  const rows: OverviewRow[] = keys.map((hash) => {
    const key = q.keyByHash(hash)!;
    const a = agg.get(key.id, aggFrom, toSec) as { peak: number; a: number; r: number };
    const steps = q.limitSteps(key.id, fromMs, toMs);
    const limits = steps.map((s) => s.maxParallelRequests).filter((l): l is number => l !== null);
    const overRows = limits.length ? (above.all(key.id, aggFrom, toSec, Math.min(...limits)) as { sec: number; maxInFlight: number }[]) : [];
    const episodes = episodesAbove(overRows.map((r) => ({ sec: Number(r.sec), maxInFlight: r.maxInFlight })), steps, stepSec, stepSec * 5);
    const spark = q.seriesWindow(key.id, fromSec, toSec, SPARK_POINTS).buckets.map((b) => b.maxInFlight);
    const n = now.get(hash);
    const limit = key.maxParallelRequests;
    const peak = Number(a.peak);
    const status = keyStatus({
      limit,
      peak,
      admitted: Number(a.a),
      rejected: Number(a.r),
      recentPeak: n?.peak5m ?? 0,
      recentRejected: n?.rejected5m ?? 0,
      believed: n?.believed ?? null,
    });
    return {
      hash,
      alias: key.alias,
      teamId: key.teamId,
      inCatalog: key.inCatalog,
      maxParallelRequests: limit,
      rpmLimit: key.rpmLimit,
      tpmLimit: key.tpmLimit,
      inFlightNow: n?.inFlight ?? 0,
      believedNow: n?.believed ?? null,
      peak,
      peakRatio: limit ? peak / limit : null,
      violations: episodes.length,
      secondsOver: episodes.reduce((s, e) => s + (e.toSec - e.fromSec), 0),
      admitted: Number(a.a),
      rejected: Number(a.r),
      sparkline: spark,
      status,
      severity: severity({ status, peak, limit }),
    };
  });
  rows.sort((x, y) => y.severity - x.severity || (x.alias ?? x.hash).localeCompare(y.alias ?? y.hash));
  const teams = [...new Set(rows.map((r) => r.teamId).filter((t): t is string => t !== null))].sort();
  return { fromMs, toMs, watermarkMs: snap.watermarkMs, rows, teams };
}
