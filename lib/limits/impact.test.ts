import { describe, expect, it } from "vitest";
import { impactSentence, limitImpact } from "./impact";

describe("limit impact", () => {
  const maxima = [0, 3, 9, 7, 7, 2, 6, 0];

  it("counts the minutes whose peak is above the limit (in-flight + 1 <= limit admits)", () => {
    expect(limitImpact(maxima, 6)).toEqual({ peak: 9, minutesAbove: 3 });
    expect(limitImpact(maxima, 9)).toEqual({ peak: 9, minutesAbove: 0 });
    expect(limitImpact(maxima, null)).toEqual({ peak: 9, minutesAbove: 0 });
    expect(limitImpact([], 3)).toEqual({ peak: 0, minutesAbove: 0 });
  });

  it("says it in words", () => {
    expect(impactSentence(limitImpact(maxima, 6), 6)).toBe("This key peaked at 9 in the last 24 h: a limit of 6 would have rejected requests in 3 minutes.");
    expect(impactSentence(limitImpact(maxima, 8), 8)).toBe("This key peaked at 9 in the last 24 h: a limit of 8 would have rejected requests in 1 minute.");
    expect(impactSentence(limitImpact(maxima, 12), 12)).toBe("This key peaked at 9 in the last 24 h: a limit of 12 would have rejected nothing.");
    expect(impactSentence(limitImpact(maxima, 0), 0)).toBe("This key peaked at 9 in the last 24 h: a limit of 0 rejects every request.");
    expect(impactSentence(limitImpact(maxima, null), null)).toBe("This key peaked at 9 in the last 24 h: with no limit, LiteLLM rejects nothing for concurrency.");
  });
});
