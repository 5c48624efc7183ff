/**
 * Sorts `keys[0..n)` ascending in place with a two-pass LSD radix sort.
 *
 * Why not `TypedArray.prototype.sort`: the concurrency sweep sorts two arrays of up to millions of
 * ms offsets per call, and two linear passes beat a comparison sort several times over at that size.
 * Two passes of ceil(bits/2) bits each (at most 16, so the count tables stay small enough to live in
 * cache) leave the result back in `keys`, so callers never need to know which buffer holds it.
 *
 * @param scratch at least `n` long; its contents are overwritten.
 * @param maxValue an upper bound of every key (a tighter bound means smaller count tables); a key
 *   above it would be scattered out of bounds, so callers must guarantee it.
 */
export function radixSortU32(keys: Uint32Array, n: number, scratch: Uint32Array, maxValue: number): void {
  if (scratch.length < n) throw new RangeError(`scratch holds ${scratch.length} keys, ${n} needed`);
  if (!(maxValue <= 0xffff_ffff)) throw new RangeError(`maxValue ${maxValue} does not fit in 32 bits`);
  if (n < 2 || maxValue < 1) return;
  const bits = 32 - Math.clz32(maxValue);
  const lowBits = Math.ceil(bits / 2);
  const lowMask = (1 << lowBits) - 1;
  const low = new Uint32Array((1 << lowBits) + 1);
  const high = new Uint32Array((1 << (bits - lowBits)) + 1);

  // One read pass fills both histograms (shifted by one so the prefix sum yields start offsets).
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    low[(k & lowMask) + 1]++;
    high[(k >>> lowBits) + 1]++;
  }
  for (let d = 1; d < low.length; d++) low[d] += low[d - 1];
  for (let d = 1; d < high.length; d++) high[d] += high[d - 1];

  // Stable scatter by the low digit into scratch, then by the high digit back into keys.
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    scratch[low[k & lowMask]++] = k;
  }
  for (let i = 0; i < n; i++) {
    const k = scratch[i];
    keys[high[k >>> lowBits]++] = k;
  }
}
