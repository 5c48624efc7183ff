import { COUNTED_IN, limitKind, type LimitType } from "../ingest/limit-type";
import type { SweepRequests } from "./repository";

/** Empty lists of a key's 429s for the sweep. */
export function noRejections(): Pick<SweepRequests, "rejectedAt" | "limitedAt"> {
  return { rejectedAt: [], limitedAt: { rejectedRpm: [], rejectedTpm: [], rejectedOther: [] } };
}

/**
 * Files one stored 429 (its start, `rejected` and `limit_type` columns) in the sweep's lists. A
 * row stored before limit types were kept has `rejected` and no limit type: it stays the
 * concurrency rejection it was counted as then.
 */
export function addRejection(into: Pick<SweepRequests, "rejectedAt" | "limitedAt">, startMs: number, rejected: boolean, limitType: LimitType | null): void {
  const field = rejected ? "rejected" : COUNTED_IN[limitKind(limitType ?? "unknown")];
  if (field === "rejected") into.rejectedAt.push(startMs);
  else into.limitedAt[field].push(startMs);
}
