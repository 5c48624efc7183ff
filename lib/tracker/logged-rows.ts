import { normalizeRow } from "../ingest/normalize";
import type { LoggedInterval } from "./agreement";

/**
 * Spend-log rows as the tracker comparison reads them: requests that ran (a proxy-side 429 never
 * starts in the tracker), by key hash and `litellm_call_id` (a row without one, from an old proxy,
 * cannot pair and is left out).
 */
export function loggedIntervals(raw: readonly unknown[]): LoggedInterval[] {
  const out: LoggedInterval[] = [];
  for (const r of raw) {
    const row = normalizeRow(r);
    if (typeof row === "string" || row.limitType !== null) continue;
    const callId = (r as { litellm_call_id?: unknown }).litellm_call_id;
    if (typeof callId !== "string" || callId === "") continue;
    out.push({ hash: row.keyHash, callId, startMs: row.startMs, endMs: row.endMs });
  }
  return out;
}
