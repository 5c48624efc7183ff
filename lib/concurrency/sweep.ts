import { LIMITED_FIELDS, type LimitedField } from "./counts";
import { radixSortU32 } from "./radix";

export interface SweepInput {
  /** Admitted requests: start and end in epoch ms (unsorted, any length; same length). */
  starts: ArrayLike<number>;
  ends: ArrayLike<number>;
  /** Concurrency rejections (429s for max_parallel_requests): their epoch-ms times (unsorted). */
  rejectedAt?: ArrayLike<number>;
  /** The proxy's other 429s (rpm, tpm, other limits; ./counts.ts): their epoch-ms times (unsorted). */
  limitedAt?: Partial<Record<LimitedField, ArrayLike<number>>>;
  /** Output range, whole epoch seconds, [fromSec, toSec). */
  fromSec: number;
  toSec: number;
}

/** Dense per-second series: index i describes epoch second `fromSec + i`. */
export interface SecondSeries {
  fromSec: number;
  maxInFlight: Int32Array;
  admitted: Int32Array;
  rejected: Int32Array;
  /** The other 429s per second; absent when the input had none, so a key without them costs nothing more. */
  limited?: Record<LimitedField, Int32Array>;
}

/**
 * Offsets are stored as uint32 ms from the chunk start, with 0xffffffff as the end-of-events
 * sentinel, so a chunk must span fewer than 2^32 - 1 ms (~49.7 days). Longer ranges are swept
 * chunk by chunk; every chunk sees every request, so the seams are exact.
 */
const CHUNK_SEC = 4_000_000;
const SENTINEL = 0xffff_ffff;

/**
 * Exact per-second concurrency from request intervals (semantics in ./README.md): a request is in
 * flight over [start, end) (a zero- or negative-duration one over [start, start + 1 ms)); at equal
 * times ends come before starts. `maxInFlight[s]` is the maximum over every instant of second s.
 *
 * A sweep over sorted start and end events, O(n + seconds): starts and ends are sorted separately
 * (integer radix sort on ms offsets) and merge-walked once, second by second.
 */
export function sweepSeconds(input: SweepInput): SecondSeries {
  const { starts, ends, fromSec, toSec } = input;
  if (starts.length !== ends.length) {
    throw new RangeError(`starts (${starts.length}) and ends (${ends.length}) differ in length`);
  }
  if (!Number.isSafeInteger(fromSec) || !Number.isSafeInteger(toSec) || toSec < fromSec) {
    throw new RangeError(`bad range [${fromSec}, ${toSec}): whole seconds, from <= to`);
  }
  const length = toSec - fromSec;
  const series: SecondSeries = {
    fromSec,
    maxInFlight: new Int32Array(length),
    admitted: new Int32Array(length),
    rejected: new Int32Array(length),
  };
  if (input.rejectedAt) countAt(input.rejectedAt, fromSec, series.rejected);
  const limitedAt = input.limitedAt;
  if (limitedAt && LIMITED_FIELDS.some((f) => (limitedAt[f]?.length ?? 0) > 0)) {
    const limited = { rejectedRpm: new Int32Array(length), rejectedTpm: new Int32Array(length), rejectedOther: new Int32Array(length) };
    for (const f of LIMITED_FIELDS) countAt(limitedAt[f] ?? [], fromSec, limited[f]);
    series.limited = limited;
  }
  if (length === 0 || starts.length === 0) return series;

  // One set of buffers serves every chunk; +1 leaves room for the sentinel.
  const n = starts.length;
  const buffers = { starts: new Uint32Array(n + 1), ends: new Uint32Array(n + 1), scratch: new Uint32Array(n + 1) };
  for (let chunkFrom = 0; chunkFrom < length; chunkFrom += CHUNK_SEC) {
    const chunkTo = Math.min(length, chunkFrom + CHUNK_SEC);
    sweepChunk(
      starts,
      ends,
      fromSec + chunkFrom,
      buffers,
      series.maxInFlight.subarray(chunkFrom, chunkTo),
      series.admitted.subarray(chunkFrom, chunkTo),
    );
  }
  return series;
}

interface Buffers {
  starts: Uint32Array;
  ends: Uint32Array;
  scratch: Uint32Array;
}

/** Fills `maxInFlight` and `admitted` (both `maxInFlight.length` seconds from `fromSec`). */
function sweepChunk(
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  fromSec: number,
  buf: Buffers,
  maxInFlight: Int32Array,
  admitted: Int32Array,
): void {
  const fromMs = fromSec * 1000;
  const rangeMs = maxInFlight.length * 1000;
  const S = buf.starts;
  const E = buf.ends;

  // Collect the events of requests overlapping the chunk as ms offsets from its start. A request
  // already running at the chunk start starts at offset 0; an end at or past the chunk end never
  // happens inside it, so it is dropped (that request stays in flight to the last second).
  let nS = 0;
  let nE = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = Math.floor(starts[i]);
    let end = Math.floor(ends[i]);
    if (!Number.isFinite(start) || !Number.isFinite(end)) {
      throw new RangeError(`request ${i} has a non-finite time (start ${starts[i]}, end ${ends[i]})`);
    }
    if (end <= start) end = start + 1;
    const startOffset = start - fromMs;
    const endOffset = end - fromMs;
    if (startOffset >= rangeMs || endOffset <= 0) continue;
    if (startOffset >= 0) {
      S[nS++] = startOffset;
      admitted[Math.floor(startOffset / 1000)]++;
    } else {
      S[nS++] = 0;
    }
    if (endOffset < rangeMs) E[nE++] = endOffset;
  }
  radixSortU32(S, nS, buf.scratch, rangeMs - 1);
  radixSortU32(E, nE, buf.scratch, rangeMs - 1);
  S[nS] = SENTINEL;
  E[nE] = SENTINEL;

  // Merge-walk. Every event before a second's start has been applied when that second begins.
  // Ends exactly at the second's start are applied first (ends precede starts at equal times), so
  // `cur` is then the count at the second's first instant; after that the count only rises at a
  // start, so the maximum is sampled after each start.
  let i = 0;
  let j = 0;
  let cur = 0;
  for (let sec = 0; sec < maxInFlight.length; sec++) {
    const secStart = sec * 1000;
    const secEnd = secStart + 1000;
    while (E[j] <= secStart) {
      cur--;
      j++;
    }
    let max = cur;
    for (;;) {
      const s = S[i];
      const e = E[j];
      if (e <= s) {
        if (e >= secEnd) break;
        cur--;
        j++;
      } else {
        if (s >= secEnd) break;
        cur++;
        i++;
        if (cur > max) max = cur;
      }
    }
    maxInFlight[sec] = max;
  }
}

/** Counts each time (epoch ms) in the second it falls in, of `counts` (seconds from `fromSec`); times outside are ignored. */
function countAt(times: ArrayLike<number>, fromSec: number, counts: Int32Array): void {
  for (let i = 0; i < times.length; i++) {
    const sec = Math.floor(times[i] / 1000);
    if (!Number.isFinite(sec)) throw new RangeError(`rejection ${i} has a non-finite time (${times[i]})`);
    const idx = sec - fromSec;
    if (idx >= 0 && idx < counts.length) counts[idx]++;
  }
}
