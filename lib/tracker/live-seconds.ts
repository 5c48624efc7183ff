/**
 * Live truth per second, pure: from the tracker's accepted starts and ends, each key's most
 * requests in flight at any instant of each whole second (as the settled series counts a second
 * from spend logs). A second is final once it is `graceMs` behind now (events arrive a tick late,
 * and carry the proxy's clock); an event older than that only corrects the count carried on.
 */

export interface LiveSecond {
  hash: string;
  /** Epoch second. */
  sec: number;
  maxInFlight: number;
}

/** How far behind now a second is taken as complete. */
export const LIVE_SECOND_GRACE_MS = 2_000;

interface Change {
  atMs: number;
  delta: 1 | -1;
}

export class LiveSeconds {
  /** Per key: requests in flight at the start of `edgeSec`. */
  private readonly base = new Map<string, number>();
  /** Per key: changes at or after the edge, not yet swept. */
  private readonly changes = new Map<string, Change[]>();
  /** Seconds before this are written (null: not started; set by the first rebase or flush). */
  private edgeSec: number | null = null;

  constructor(private readonly graceMs = LIVE_SECOND_GRACE_MS) {}

  /** Counts known afresh (the open sets) at `atMs`: seconds from here on start from them. */
  rebase(counts: Map<string, number>, atMs: number): void {
    this.base.clear();
    this.changes.clear();
    for (const [hash, n] of counts) if (n > 0) this.base.set(hash, n);
    this.edgeSec = Math.floor(atMs / 1000);
  }

  /** A start (+1) or an end or lost end (-1) the live state accepted. */
  change(hash: string, atMs: number, delta: 1 | -1): void {
    if (this.edgeSec !== null && atMs < this.edgeSec * 1000) {
      // Too late for its second: it still moves the count carried on.
      const n = (this.base.get(hash) ?? 0) + delta;
      if (n > 0) this.base.set(hash, n);
      else this.base.delete(hash);
      return;
    }
    (this.changes.get(hash) ?? this.changes.set(hash, []).get(hash)!).push({ atMs, delta });
  }

  /** The seconds now complete, for keys with anything in flight in them; each second is given once. */
  flush(nowMs: number): LiveSecond[] {
    const toSec = Math.floor((nowMs - this.graceMs) / 1000);
    if (this.edgeSec === null) this.edgeSec = toSec;
    if (toSec <= this.edgeSec) return [];
    const out: LiveSecond[] = [];
    const from = this.edgeSec;
    for (const hash of new Set([...this.base.keys(), ...this.changes.keys()])) {
      let count = this.base.get(hash) ?? 0;
      const all = (this.changes.get(hash) ?? []).sort((a, b) => a.atMs - b.atMs || a.delta - b.delta); // an end before a start at the same ms
      let i = 0;
      for (let sec = from; sec < toSec; sec++) {
        let max = count;
        for (; i < all.length && all[i].atMs < (sec + 1) * 1000; i++) {
          count += all[i].delta;
          if (count > max) max = count;
        }
        if (max > 0) out.push({ hash, sec, maxInFlight: max });
      }
      const rest = all.slice(i);
      if (rest.length) this.changes.set(hash, rest);
      else this.changes.delete(hash);
      if (count > 0) this.base.set(hash, count);
      else this.base.delete(hash);
    }
    this.edgeSec = toSec;
    return out;
  }
}
