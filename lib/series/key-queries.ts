import type { Sqlite } from "../store/sqlite";
import { SeriesReader } from "./read";

export interface KeyRef {
  id: number;
  hash: string;
  alias: string | null;
  teamId: string | null;
  maxParallelRequests: number | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  inCatalog: boolean;
}

/** The limits in force from `fromMs` on (the first one also stands for the time before Inflight saw the key). */
export interface LimitStep {
  fromMs: number;
  maxParallelRequests: number | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  source: string;
}

export interface BeliefBucket {
  t: number;
  /** Most LiteLLM believed in flight during the bucket. */
  believed: number | null;
  /** Extremes of the raw counter (windowed: can go negative or above the limit). */
  rawMin: number | null;
  rawMax: number | null;
  era: string;
}

export interface EvidenceRequest {
  requestId: string;
  startMs: number;
  endMs: number;
  durationMs: number;
  status: string | null;
  model: string;
}

export interface Evidence {
  fromMs: number;
  toMs: number;
  /** The instant in the window with the most requests in flight, and that number. */
  peakAtMs: number | null;
  peak: number;
  /** The requests in flight at the peak instant, oldest first. */
  requests: EvidenceRequest[];
  /** More requests were in flight than are listed. */
  truncated: boolean;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const EVIDENCE_LIMIT = 1000;

/** Read-side queries for one key's page: its limits over time, LiteLLM's belief, and the evidence behind a peak. */
export class KeyQueries {
  private readonly stmt;
  private readonly series: SeriesReader;

  constructor(
    db: Sqlite,
    private readonly maxRequestMs: number,
  ) {
    this.series = new SeriesReader(db);
    this.stmt = {
      key: db.prepare(
        `SELECT id, hash, alias, team_id AS teamId, max_parallel_requests AS mpr, rpm_limit AS rpm, tpm_limit AS tpm, in_catalog AS inCatalog
         FROM key WHERE hash = ?`,
      ),
      limits: db.prepare(
        `SELECT effective_from_ms AS f, max_parallel_requests AS mpr, rpm_limit AS rpm, tpm_limit AS tpm, source FROM key_limit_change
         WHERE key_id = ? AND effective_from_ms < ? ORDER BY effective_from_ms, id`,
      ),
      belief: db.prepare(
        `SELECT (at_ms / 1000 - ?) / ? AS b, MAX(believed_in_flight) AS believed, MIN(raw_counter) AS rawMin, MAX(raw_counter) AS rawMax, MAX(era) AS era
         FROM limiter_sample WHERE key_id = ? AND at_ms >= ? AND at_ms < ? GROUP BY b`,
      ),
      overlapping: db
        .prepare(
          `SELECT request_id, start_ms, end_ms, status, model FROM request
           WHERE key_id = ? AND rejected = 0 AND start_ms >= ? AND start_ms < ? AND end_ms > ? ORDER BY start_ms`,
        )
        .raw(),
    };
  }

  keyByHash(hash: string): KeyRef | null {
    const r = this.stmt.key.get(hash) as Record<string, unknown> | undefined;
    if (!r) return null;
    return {
      id: Number(r.id),
      hash: String(r.hash),
      alias: (r.alias as string | null) ?? null,
      teamId: (r.teamId as string | null) ?? null,
      maxParallelRequests: num(r.mpr),
      rpmLimit: num(r.rpm),
      tpmLimit: num(r.tpm),
      inCatalog: Boolean(r.inCatalog),
    };
  }

  /**
   * Limit steps covering [fromMs, toMs): the step in force at fromMs, clamped to it, then each
   * change. Before Inflight first saw the key, its first known limit stands in.
   */
  limitSteps(keyId: number, fromMs: number, toMs: number): LimitStep[] {
    const all = (this.stmt.limits.all(keyId, toMs) as Record<string, unknown>[]).map((r) => ({
      fromMs: Number(r.f),
      maxParallelRequests: num(r.mpr),
      rpmLimit: num(r.rpm),
      tpmLimit: num(r.tpm),
      source: String(r.source),
    }));
    if (all.length === 0) return [];
    let first = 0;
    for (let i = 0; i < all.length; i++) if (all[i].fromMs <= fromMs) first = i;
    const steps = all.slice(first);
    steps[0] = { ...steps[0], fromMs };
    return steps;
  }

  seriesWindow(keyId: number, fromSec: number, toSec: number, maxPoints: number) {
    return this.series.read(keyId, fromSec, toSec, maxPoints);
  }

  /** LiteLLM's believed in-flight per bucket (the same buckets as the truth series). */
  belief(keyId: number, fromSec: number, toSec: number, bucketSec: number): BeliefBucket[] {
    const base = Math.floor(fromSec / bucketSec) * bucketSec;
    const rows = this.stmt.belief.all(BigInt(base), BigInt(bucketSec), keyId, fromSec * 1000, toSec * 1000) as Record<string, unknown>[];
    return rows.map((r) => ({
      t: base + Number(r.b) * bucketSec,
      believed: num(r.believed),
      rawMin: num(r.rawMin),
      rawMax: num(r.rawMax),
      era: String(r.era),
    }));
  }

  /** The requests behind the highest concurrency in [fromMs, toMs): the evidence a bug report needs. */
  evidence(keyId: number, fromMs: number, toMs: number): Evidence {
    const rows = this.stmt.overlapping.all(keyId, fromMs - this.maxRequestMs, toMs, fromMs) as [string, number, number, string | null, string][];
    // Candidate instants: the window start and every start inside it; a small sweep finds the peak.
    const ends = rows.map((r) => Math.max(Number(r[2]), Number(r[1]) + 1)).sort((a, b) => a - b);
    let peak = 0;
    let peakAtMs: number | null = null;
    let inFlight = rows.filter((r) => Number(r[1]) < fromMs).length;
    let e = 0;
    while (e < ends.length && ends[e] <= fromMs) e++;
    inFlight -= e;
    if (inFlight > 0) {
      peak = inFlight;
      peakAtMs = fromMs;
    }
    for (const r of rows) {
      const start = Number(r[1]);
      if (start < fromMs) continue;
      while (e < ends.length && ends[e] <= start) {
        e++;
        inFlight--;
      }
      inFlight++;
      if (inFlight > peak) {
        peak = inFlight;
        peakAtMs = start;
      }
    }
    const at = peakAtMs;
    const live =
      at === null ? [] : rows.filter((r) => Number(r[1]) <= at && Math.max(Number(r[2]), Number(r[1]) + 1) > at);
    return {
      fromMs,
      toMs,
      peakAtMs,
      peak,
      truncated: live.length > EVIDENCE_LIMIT,
      requests: live.slice(0, EVIDENCE_LIMIT).map((r) => ({
        requestId: r[0],
        startMs: Number(r[1]),
        endMs: Number(r[2]),
        durationMs: Number(r[2]) - Number(r[1]),
        status: r[3],
        model: r[4],
      })),
    };
  }
}
