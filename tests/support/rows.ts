import type { RequestCounts } from "../../lib/concurrency/counts";
import type { LimitType } from "../../lib/ingest/limit-type";
import type { IngestRow } from "../../lib/ingest/normalize";

/** The instant the store tests' data starts at (a fixed UTC time, so partitions and minutes are known). */
export const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

/**
 * A normalized spend-log row of a key, starting `startOff` ms after T0 and lasting `dur` ms;
 * `rejected`: a 429 for the key's max_parallel_requests (give it `dur` 0, as the proxy does).
 */
export const row = (hash: string, id: string, startOff: number, dur: number, rejected = false): IngestRow =>
  rejected
    ? proxy429(hash, id, startOff, "max_parallel_requests", dur)
    : { requestId: id, keyHash: hash, startMs: T0 + startOff, endMs: T0 + startOff + dur, status: "success", limitType: null, rejected: false, model: "gpt-4o" };

/** A proxy-side 429 of a key for the limit `limitType` (lib/ingest/limit-type.ts), answered `startOff` ms after T0. */
export const proxy429 = (hash: string, id: string, startOff: number, limitType: LimitType, dur = 0): IngestRow => ({
  requestId: id,
  keyHash: hash,
  startMs: T0 + startOff,
  endMs: T0 + startOff + dur,
  status: "failure",
  limitType,
  rejected: limitType === "max_parallel_requests",
  model: "gpt-4o",
});

/** Series counts: admitted, rejected (max_parallel_requests) and the other 429s as [rpm, tpm, other]. */
export const counts = (admitted: number, rejected = 0, [rejectedRpm, rejectedTpm, rejectedOther] = [0, 0, 0]): RequestCounts => ({
  admitted,
  rejected,
  rejectedRpm,
  rejectedTpm,
  rejectedOther,
});
