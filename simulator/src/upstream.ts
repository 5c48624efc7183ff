/**
 * Ground truth for tests (`GET /sim/upstream`): per key hash, how many requests are past the limiter and still
 * being served right now, and the peak of that number since start or the last reset. Exact: +1 at admission,
 * -1 when the request ends for any reason (success, error, timeout, client disconnect).
 */
export class UpstreamTracker {
  private cur = new Map<string, { current: number; peak: number }>();
  private since = Date.now();
  private totalCurrent = 0;
  private totalPeak = 0;

  inc(hash: string): void {
    let e = this.cur.get(hash);
    if (!e) this.cur.set(hash, (e = { current: 0, peak: 0 }));
    e.current++;
    if (e.current > e.peak) e.peak = e.current;
    this.totalCurrent++;
    if (this.totalCurrent > this.totalPeak) this.totalPeak = this.totalCurrent;
  }

  dec(hash: string): void {
    const e = this.cur.get(hash);
    if (!e || e.current <= 0) throw new Error(`upstream tracker underflow for ${hash}`);
    e.current--;
    this.totalCurrent--;
  }

  current(hash: string): number {
    return this.cur.get(hash)?.current ?? 0;
  }

  /** Peaks restart from the current values. */
  reset(): void {
    this.since = Date.now();
    for (const [k, e] of this.cur) {
      if (e.current === 0) this.cur.delete(k);
      else e.peak = e.current;
    }
    this.totalPeak = this.totalCurrent;
  }

  snapshot(): Record<string, unknown> {
    const keys: Record<string, { current: number; peak: number }> = {};
    for (const [k, e] of this.cur) keys[k] = { current: e.current, peak: e.peak };
    return { since: new Date(this.since).toISOString(), total: { current: this.totalCurrent, peak: this.totalPeak }, keys };
  }
}
