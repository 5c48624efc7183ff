import { describe, expect, it } from "vitest";
import { radixSortU32 } from "./radix";
import { mulberry32 } from "../traffic/prng";

describe("radixSortU32", () => {
  it("sorts like a numeric sort for every key width, with duplicates, leaving keys past n alone", () => {
    const rand = mulberry32(1);
    for (const maxValue of [0, 1, 2, 3, 255, 1000, 65_535, 86_399_999, 0xffff_ffff]) {
      for (const n of [0, 1, 2, 3, 17, 1000, 20_000]) {
        const keys = new Uint32Array(n + 2);
        for (let i = 0; i < n; i++) keys[i] = Math.floor(rand() * (maxValue + 1));
        keys[n] = 42;
        keys[n + 1] = 7;
        const want = Array.from(keys.subarray(0, n)).sort((a, b) => a - b);
        radixSortU32(keys, n, new Uint32Array(n), maxValue);
        expect(Array.from(keys.subarray(0, n)), `maxValue ${maxValue}, n ${n}`).toEqual(want);
        expect([keys[n], keys[n + 1]]).toEqual([42, 7]);
      }
    }
  });

  it("refuses a scratch buffer that is too short or a bound wider than 32 bits", () => {
    expect(() => radixSortU32(new Uint32Array(4), 4, new Uint32Array(3), 10)).toThrow(/scratch/);
    expect(() => radixSortU32(new Uint32Array(4), 4, new Uint32Array(4), 2 ** 32)).toThrow(/32 bits/);
  });
});
