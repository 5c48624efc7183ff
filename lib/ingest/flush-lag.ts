// How long after its end a spend-log row may take to appear: the flush lag ingest assumes. Pure.
//
// LiteLLM writes spend-log rows in batches (`proxy_batch_write_at`, 10 s by default, 60 s in its
// production guide, plus 0–5 s of jitter; a slow database adds more). A live poll trusts that every
// row that ended more than the flush lag ago is visible; a row slower than that is late (the
// reconcile pass finds it). So the lag follows what live polls observe: for each row a poll stores
// for the first time, how long after its end it was seen; the lag is a high percentile of those
// delays over the recent past, never below the configured setting and never above a ceiling (rows
// later than that are left to the reconcile pass rather than holding every poll back).

export interface FlushLagOptions {
  /** The configured lag (INGEST_FLUSH_LAG_S): the estimate never goes below it. */
  floorMs: number;
  /** The estimate never goes above this. */
  ceilingMs: number;
  /** Delays observed longer ago than this are forgotten. */
  windowMs: number;
  /** The share of rows the lag must cover (0.99: all but 1 in 100). */
  quantile: number;
}

export const FLUSH_LAG_DEFAULTS = { ceilingMs: 15 * 60_000, windowMs: 15 * 60_000, quantile: 0.99 } as const;

const SLOT_MS = 60_000;

/** Delays in whole seconds (rounded up), one histogram per minute of observation. */
export class FlushLagEstimator {
  private readonly slots = new Map<number, Uint32Array>();
  private readonly maxSec: number;

  constructor(private readonly opts: FlushLagOptions) {
    this.maxSec = Math.ceil(opts.ceilingMs / 1000);
  }

  /** Rows a live poll at `atMs` stored for the first time, by how long after their end it saw them. */
  observe(atMs: number, delaysMs: readonly number[]): void {
    if (delaysMs.length === 0) return;
    const slot = Math.floor(atMs / SLOT_MS);
    let h = this.slots.get(slot);
    if (!h) this.slots.set(slot, (h = new Uint32Array(this.maxSec + 1)));
    for (const d of delaysMs) h[Math.min(this.maxSec, Math.max(0, Math.ceil(d / 1000)))]++;
    this.forget(atMs);
  }

  /** The observed delay that `quantile` of the recent rows stayed within (ms), or null with nothing observed. */
  observedMs(nowMs: number): number | null {
    this.forget(nowMs);
    const total = new Float64Array(this.maxSec + 1);
    let n = 0;
    for (const h of this.slots.values()) {
      for (let s = 0; s <= this.maxSec; s++) total[s] += h[s];
    }
    for (const c of total) n += c;
    if (n === 0) return null;
    // The smallest delay with at least `quantile` of the rows at or below it.
    const want = Math.ceil(n * this.opts.quantile);
    let seen = 0;
    for (let s = 0; s <= this.maxSec; s++) {
      seen += total[s];
      if (seen >= want) return s * 1000;
    }
    return this.maxSec * 1000;
  }

  /** The flush lag to assume now: the observed percentile within [floor, ceiling]. */
  lagMs(nowMs: number): number {
    const observed = this.observedMs(nowMs) ?? 0;
    return Math.max(this.opts.floorMs, Math.min(this.opts.ceilingMs, observed));
  }

  private forget(nowMs: number): void {
    const oldest = Math.floor((nowMs - this.opts.windowMs) / SLOT_MS);
    for (const slot of this.slots.keys()) if (slot < oldest) this.slots.delete(slot);
  }
}
