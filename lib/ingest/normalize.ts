import { limitTypeOf, type LimitType } from "./limit-type";
import { parseTimestampMs } from "./timestamps";

/** A spend-log row reduced to what concurrency needs. */
export interface IngestRow {
  requestId: string;
  keyHash: string;
  startMs: number;
  endMs: number;
  status: string | null;
  /**
   * For a proxy-side 429 (a failure row whose start equals its end, error code 429;
   * docs/litellm-reference.md §9.7), the limit it hit (./limit-type.ts); null for every other row.
   */
  limitType: LimitType | null;
  /** A concurrency rejection: a proxy-side 429 for the key's max_parallel_requests. Other 429s never held a slot either. */
  rejected: boolean;
  model: string;
}

export const ROW_PROBLEMS = ["missing_request_id", "missing_key", "bad_start_time", "bad_end_time", "end_before_start"] as const;
export type RowProblem = (typeof ROW_PROBLEMS)[number];

type Raw = Record<string, unknown>;

/** `metadata.error_information` of a failure row (metadata may be a JSON string on old proxies). */
function errorInformation(metadata: unknown): Raw | null {
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
  return info && typeof info === "object" ? (info as Raw) : null;
}

/** The limit a proxy-side 429 hit, or null when the row is not one: it ran, or failed otherwise. */
function proxyLimitType(status: string | null, startMs: number, endMs: number, metadata: unknown): LimitType | null {
  if (status !== "failure" || endMs !== startMs) return null;
  const info = errorInformation(metadata);
  if (!info || info.error_code === undefined || info.error_code === null || String(info.error_code) !== "429") return null;
  return limitTypeOf(typeof info.error_message === "string" ? info.error_message : null);
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
  const limitType = proxyLimitType(status, startMs, endMs, r.metadata);
  const rejected = limitType === "max_parallel_requests";
  return { requestId, keyHash, startMs, endMs, status, limitType, rejected, model: typeof r.model === "string" ? r.model : "" };
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
