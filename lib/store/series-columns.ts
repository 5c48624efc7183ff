// The request count columns of the series tables (series_1s, series_1m, series_1h) and of
// key_counter, shared by both adapters so their reads and roll-ups name the same columns in the
// same order.
import type { RequestCounts } from "../concurrency/counts";

/** The count columns, in COUNT_FIELDS order (lib/concurrency/counts.ts); the last three default to 0. */
export const COUNT_COLUMNS = ["admitted", "rejected", "rejected_rpm", "rejected_tpm", "rejected_other"] as const;

/** `sum(<col>) AS <col>, …` of every count column, in order. */
export const SUM_COUNTS = COUNT_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(", ");

/** The counts of a row read by column name. */
export function countsOfRow(r: Record<string, unknown>): RequestCounts {
  return {
    admitted: Number(r.admitted),
    rejected: Number(r.rejected),
    rejectedRpm: Number(r.rejected_rpm),
    rejectedTpm: Number(r.rejected_tpm),
    rejectedOther: Number(r.rejected_other),
  };
}
