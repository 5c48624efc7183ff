/**
 * What a commit's new rows change, per key: the time span they cover (to recompute the series
 * there), how many requests were admitted and rejected (the /metrics counters) and the longest
 * request (how far a recompute must look back). Adapters fill
 * it with the rows they actually inserted and write it in the same transaction.
 */
export class CommitEffects {
  readonly spans = new Map<number, [number, number]>();
  readonly counts = new Map<number, { admitted: number; rejected: number; longestMs: number }>();

  add(keyId: number, startMs: number, endMs: number, rejected: boolean) {
    const span = this.spans.get(keyId);
    if (!span) this.spans.set(keyId, [startMs, endMs]);
    else {
      if (startMs < span[0]) span[0] = startMs;
      if (endMs > span[1]) span[1] = endMs;
    }
    const c = this.counts.get(keyId) ?? { admitted: 0, rejected: 0, longestMs: 0 };
    if (rejected) c.rejected++;
    else c.admitted++;
    if (endMs - startMs > c.longestMs) c.longestMs = endMs - startMs;
    this.counts.set(keyId, c);
  }
}
