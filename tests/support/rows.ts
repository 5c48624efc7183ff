import type { IngestRow } from "../../lib/ingest/normalize";

/** The instant the store tests' data starts at (a fixed UTC time, so partitions and minutes are known). */
export const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

/** A normalized spend-log row of a key, starting `startOff` ms after T0 and lasting `dur` ms. */
export const row = (hash: string, id: string, startOff: number, dur: number, rejected = false): IngestRow => ({
  requestId: id,
  keyHash: hash,
  startMs: T0 + startOff,
  endMs: T0 + startOff + dur,
  status: rejected ? "failure" : "success",
  rejected,
  model: "gpt-4o",
});
