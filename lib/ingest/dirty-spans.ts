/** Per key: the time span its new rows cover, to recompute the series there. */
export class DirtySpans {
  readonly spans = new Map<number, [number, number]>();
  add(keyId: number, startMs: number, endMs: number) {
    const span = this.spans.get(keyId);
    if (!span) this.spans.set(keyId, [startMs, endMs]);
    else {
      if (startMs < span[0]) span[0] = startMs;
      if (endMs > span[1]) span[1] = endMs;
    }
  }
}
