import { describe, expect, it } from "vitest";
import { addLate, lateRows } from "./late-rows";

describe("lateRows", () => {
  const claimed = { completeBeforeMs: 100_000, endWatermarkMs: 200_000 };

  it("counts rows the cursor had already claimed: started before complete-before, or ended before the end watermark", () => {
    const late = lateRows(
      [
        { startMs: 99_000, endMs: 250_000 }, // started before C: late (a request longer than the live window)
        { startMs: 150_000, endMs: 199_999 }, // ended before W: late
        { startMs: 150_000, endMs: 200_000 }, // ended at W: on time
        { startMs: 190_000, endMs: 260_000 }, // on time
      ],
      claimed,
      300_000,
    );
    expect(late).toEqual({ rows: 2, maxDelayMs: 100_001 });
  });

  it("adds up counts and keeps the longest delay", () => {
    expect(addLate({ rows: 2, maxDelayMs: 5 }, { rows: 3, maxDelayMs: 4 })).toEqual({ rows: 5, maxDelayMs: 5 });
    expect(lateRows([], claimed, 0)).toEqual({ rows: 0, maxDelayMs: 0 });
  });
});
