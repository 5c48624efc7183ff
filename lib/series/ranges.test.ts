import { describe, expect, it } from "vitest";
import { mergeRanges, minuteAligned } from "./ranges";

describe("dirty ranges", () => {
  it("merges each key's overlapping or nearby ranges and keeps keys apart", () => {
    expect(
      mergeRanges(
        [
          { keyId: 2, fromMs: 0, toMs: 10 },
          { keyId: 1, fromMs: 100, toMs: 200 },
          { keyId: 1, fromMs: 150, toMs: 300 },
          { keyId: 1, fromMs: 350, toMs: 400 },
          { keyId: 1, fromMs: 1000, toMs: 1100 },
        ],
        50,
      ),
    ).toEqual([
      { keyId: 1, fromMs: 100, toMs: 400 },
      { keyId: 1, fromMs: 1000, toMs: 1100 },
      { keyId: 2, fromMs: 0, toMs: 10 },
    ]);
  });

  it("widens a range to whole minutes, end inclusive", () => {
    expect(minuteAligned(61_000, 119_999)).toEqual({ fromSec: 60, toSec: 120 });
    expect(minuteAligned(60_000, 120_000)).toEqual({ fromSec: 60, toSec: 180 });
  });
});
