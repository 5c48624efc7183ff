import type { ChartRow } from "../charts/concurrency-model";
import { REJECTION_KINDS } from "../charts/rejection-kinds";
import type { KeyEvidence, KeySeries } from "../../api/keys";
import { toCsv, type CsvColumn } from "./csv";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const SERIES_COLUMNS: CsvColumn<ChartRow>[] = [
  { header: "bucket_start_utc", value: (r) => iso(r.t) },
  { header: "bucket_start_ms", value: (r) => r.t },
  { header: "in_flight_truth", value: (r) => r.inFlight },
  { header: "in_flight_litellm_belief", value: (r) => r.believed },
  { header: "max_parallel_requests", value: (r) => r.limit },
  { header: "admitted", value: (r) => r.admitted },
  // 429s by limit: rejected_429_max_parallel_requests (concurrency), _rpm, _tpm, _other.
  ...REJECTION_KINDS.map((k): CsvColumn<ChartRow> => ({ header: `rejected_429_${k.kind}`, value: (r) => r[k.field] })),
  { header: "provisional", value: (r) => r.provisional },
];

const EVIDENCE_COLUMNS: CsvColumn<KeyEvidence["requests"][number]>[] = [
  { header: "request_id", value: (r) => r.requestId },
  { header: "start_utc", value: (r) => iso(r.startMs) },
  { header: "end_utc", value: (r) => iso(r.endMs) },
  { header: "duration_ms", value: (r) => r.durationMs },
  { header: "model", value: (r) => r.model },
  { header: "status", value: (r) => r.status },
];

/** The chart's buckets as CSV, one line per bucket. Pure. */
export function seriesCsv(rows: ChartRow[]): string {
  return toCsv(SERIES_COLUMNS, rows);
}

/** The chart's buckets with the key, range, limit steps and provisional edge, as JSON. Pure. */
export function seriesJson(series: KeySeries, rows: ChartRow[]): string {
  const { key } = series;
  return JSON.stringify(
    {
      key: { hash: key.hash, alias: key.alias, teamId: key.teamId, maxParallelRequests: key.maxParallelRequests, rpmLimit: key.rpmLimit, tpmLimit: key.tpmLimit },
      from: iso(series.fromMs),
      to: iso(series.toMs),
      bucketMs: series.bucketMs,
      resolution: series.resolution,
      provisionalFrom: iso(series.provisionalFromMs),
      limits: series.limits.map((l) => ({ from: iso(l.fromMs), maxParallelRequests: l.maxParallelRequests, rpmLimit: l.rpmLimit, tpmLimit: l.tpmLimit, source: l.source })),
      points: rows.map((r) => ({
        t: iso(r.t),
        inFlight: r.inFlight,
        believed: r.believed,
        limit: r.limit,
        admitted: r.admitted,
        rejected: r.rejected,
        rejectedRpm: r.rejectedRpm,
        rejectedTpm: r.rejectedTpm,
        rejectedOther: r.rejectedOther,
        provisional: r.provisional,
      })),
    },
    null,
    2,
  );
}

/** The requests in flight at the peak instant, as CSV. Pure. */
export function evidenceCsv(e: KeyEvidence): string {
  return toCsv(EVIDENCE_COLUMNS, e.requests);
}

/** The evidence with its key, window and peak instant, as JSON: what a bug report needs. Pure. */
export function evidenceJson(e: KeyEvidence): string {
  return JSON.stringify(
    {
      key: e.key,
      window: { from: iso(e.fromMs), to: iso(e.toMs) },
      peakAt: iso(e.peakAtMs),
      peak: e.peak,
      truncated: e.truncated,
      requests: e.requests.map((r) => ({ ...r, start: iso(r.startMs), end: iso(r.endMs) })),
    },
    null,
    2,
  );
}

/** "inflight-demo-leaky-series-20261125T140500Z.csv": names the key, the content and the range start. */
export function exportFileName(key: { alias: string | null; hash: string }, what: "series" | "evidence", fromMs: number, ext: "csv" | "json"): string {
  const name = (key.alias ?? key.hash.slice(0, 12)).replace(/[^A-Za-z0-9._-]+/g, "_");
  const stamp = new Date(fromMs).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `inflight-${name}-${what}-${stamp}.${ext}`;
}
