import { parseTimestampMs } from "./timestamps";

/** A spend-log row reduced to what concurrency needs. */
export interface IngestRow {
  requestId: string;
  keyHash: string;
  startMs: number;
  endMs: number;
  status: string | null;
  /** Rejected by the proxy's rate limiter: a 429 failure row whose start equals its end (docs/litellm-reference.md §9.7). */
  rejected: boolean;
  model: string;
}

export const ROW_PROBLEMS = ["missing_request_id", "missing_key", "bad_start_time", "bad_end_time", "end_before_start"] as const;
export type RowProblem = (typeof ROW_PROBLEMS)[number];

type Raw = Record<string, unknown>;

/** The error code a failure row carries in `metadata.error_information` (metadata may be a JSON string on old proxies). */
function errorCode(metadata: unknown): string | null {
  let m = metadata;
  if (typeof m === "string") {
    if (!m.includes("error_information")) return null;
    try {
      m = JSON.parse(m);
    } catch {
      return null;
    }
  }
  if (!m || typeof m !== "object") return null;
  const info = (m as Raw).error_information;
  if (!info || typeof info !== "object") return null;
  const code = (info as Raw).error_code;
  return code === undefined || code === null ? null : String(code);
}

/** Turns one raw spend-log row into an IngestRow, or names what is wrong with it. */
export function normalizeRow(raw: unknown): IngestRow | RowProblem {
  if (!raw || typeof raw !== "object") return "missing_request_id";
  const r = raw as Raw;
  const requestId = r.request_id;
  if (typeof requestId !== "string" || requestId === "") return "missing_request_id";
  const keyHash = r.api_key;
  if (typeof keyHash !== "string" || keyHash === "") return "missing_key";
  const startMs = parseTimestampMs(r.startTime);
  if (Number.isNaN(startMs)) return "bad_start_time";
  const endMs = parseTimestampMs(r.endTime);
  if (Number.isNaN(endMs)) return "bad_end_time";
  if (endMs < startMs) return "end_before_start";
  const status = typeof r.status === "string" ? r.status : null;
  const rejected = status === "failure" && endMs === startMs && errorCode(r.metadata) === "429";
  return { requestId, keyHash, startMs, endMs, status, rejected, model: typeof r.model === "string" ? r.model : "" };
}

/** What normalizing skipped or flagged, added up over a step. */
export interface RowTally {
  /** Rows skipped, by reason. */
  problems: Partial<Record<RowProblem, number>>;
  /** Requests longer than the configured longest duration: the live window may miss such requests. */
  longerThanMax: number;
}

/** A page's rows normalized; skipped rows are counted by reason (and the first few of each logged), never dropped silently. */
export function normalizePage(raw: readonly unknown[], tally: RowTally, maxRequestMs: number, log: { warn(msg: string): void }): IngestRow[] {
  const rows: IngestRow[] = [];
  for (const r of raw) {
    const row = normalizeRow(r);
    if (typeof row === "string") {
      const seen = (tally.problems[row] = (tally.problems[row] ?? 0) + 1);
      if (seen <= 3) {
        const id = (r as { request_id?: unknown } | null)?.request_id;
        log.warn(`[ingest] skipped a spend-log row (${row}): request_id=${typeof id === "string" ? id : "?"}`);
      }
      continue;
    }
    if (row.endMs - row.startMs > maxRequestMs) tally.longerThanMax++;
    rows.push(row);
  }
  return rows;
}
