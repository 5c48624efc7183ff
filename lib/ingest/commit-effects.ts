import { zeroCounts, type RequestCounts } from "../concurrency/counts";
import { COUNTED_IN, limitKind, type LimitType } from "./limit-type";

/** A key's request counts of one commit (admitted, and 429s by limit), as the /metrics counters add them up, and its longest request. */
export interface CommitCounts extends RequestCounts {
  longestMs: number;
}

/**
 * What a commit's new rows change, per key: the time span they cover (to recompute the series
 * there), how many requests were admitted and how many 429s each limit gave (the /metrics
 * counters) and the longest request (how far a recompute must look back). Adapters fill
 * it with the rows they actually inserted and write it in the same transaction.
 */
export class CommitEffects {
  readonly spans = new Map<number, [number, number]>();
  readonly counts = new Map<number, CommitCounts>();

  add(keyId: number, startMs: number, endMs: number, limitType: LimitType | null) {
    const span = this.spans.get(keyId);
    if (!span) this.spans.set(keyId, [startMs, endMs]);
    else {
      if (startMs < span[0]) span[0] = startMs;
      if (endMs > span[1]) span[1] = endMs;
    }
    const c = this.counts.get(keyId) ?? { ...zeroCounts(), longestMs: 0 };
    c[limitType === null ? "admitted" : COUNTED_IN[limitKind(limitType)]]++;
    if (endMs - startMs > c.longestMs) c.longestMs = endMs - startMs;
    this.counts.set(keyId, c);
  }
}
