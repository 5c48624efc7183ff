import { describe, expect, it } from "vitest";
import { checkErrorLogs } from "./error-logs";

const counts = (entries: [string, [number, number][]][]) => new Map(entries.map(([h, m]) => [h, new Map(m)]));

describe("checkErrorLogs", () => {
  it("says 429s go unlogged when most minutes with tracked 429s have none stored", () => {
    expect(checkErrorLogs(counts([["a", [[60, 3], [120, 1]]]]), counts([]))).toEqual({ compared: 2, missing: 2, verdict: "missing" });
  });

  it("says they are logged when the stored minutes hold 429s (counts may differ: fallbacks, limit types)", () => {
    expect(checkErrorLogs(counts([["a", [[60, 3], [120, 1]]]]), counts([["a", [[60, 1], [120, 5]]]]))).toEqual({ compared: 2, missing: 0, verdict: "present" });
    // One minute lost among many is not a setting.
    expect(checkErrorLogs(counts([["a", [[60, 1], [120, 1], [180, 1]]]]), counts([["a", [[60, 1], [120, 1]]]])).verdict).toBe("present");
  });

  it("knows nothing without tracked 429s", () => {
    expect(checkErrorLogs(counts([]), counts([["a", [[60, 4]]]]))).toEqual({ compared: 0, missing: 0, verdict: "unknown" });
  });
});
