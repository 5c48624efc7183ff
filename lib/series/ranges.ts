/** A key's time range in ms, [fromMs, toMs]. */
export interface KeyRange {
  keyId: number;
  fromMs: number;
  toMs: number;
}

/**
 * Merges each key's ranges that overlap or lie within `gapMs` of each other, so many small dirty
 * ranges (one per ingested page) are recomputed as a few sweeps. Pure.
 */
export function mergeRanges(ranges: KeyRange[], gapMs: number): KeyRange[] {
  const sorted = [...ranges].sort((a, b) => a.keyId - b.keyId || a.fromMs - b.fromMs);
  const out: KeyRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last.keyId === r.keyId && r.fromMs <= last.toMs + gapMs) {
      if (r.toMs > last.toMs) last.toMs = r.toMs;
    } else {
      out.push({ ...r });
    }
  }
  return out;
}

/** The whole minutes [fromSec, toSec) that hold a ms range (end inclusive): minute roll-ups need whole minutes. */
export function minuteAligned(fromMs: number, toMs: number): { fromSec: number; toSec: number } {
  const fromSec = Math.floor(fromMs / 60_000) * 60;
  const toSec = (Math.floor(toMs / 60_000) + 1) * 60;
  return { fromSec, toSec };
}
