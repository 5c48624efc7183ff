import type { SeriesPoint } from "../../api/keys";
import { limitedCount } from "../../concurrency/counts";

/**
 * The kinds of 429 a key's chart, tooltip, legend and exports show apart, in stacking order:
 * concurrency rejections (the key's max_parallel_requests) first, then the proxy's other limits,
 * which never held a slot. `kind` names it as /metrics' `limit_type` label does.
 */
export const REJECTION_KINDS = [
  { field: "rejected", kind: "max_parallel_requests", label: "429 max_parallel_requests" },
  { field: "rejectedRpm", kind: "rpm", label: "429 rpm" },
  { field: "rejectedTpm", kind: "tpm", label: "429 tpm" },
  { field: "rejectedOther", kind: "other", label: "429 other limits" },
] as const satisfies readonly { field: keyof SeriesPoint; kind: string; label: string }[];

export type RejectionKind = (typeof REJECTION_KINDS)[number];
export type RejectionField = RejectionKind["field"];

/** All 429s of a point, whatever the limit. */
export function total429s(p: Pick<SeriesPoint, RejectionField>): number {
  return p.rejected + limitedCount(p);
}
