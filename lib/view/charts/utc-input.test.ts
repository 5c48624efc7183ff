import { describe, expect, it } from "vitest";
import { fromUtcInput, toUtcInput } from "./utc-input";

describe("UTC range inputs", () => {
  it("round-trips epoch ms at second precision, read as UTC whatever the browser's zone", () => {
    const ms = Date.parse("2026-11-25T14:05:30Z");
    expect(toUtcInput(ms)).toBe("2026-11-25 14:05:30");
    expect(fromUtcInput("2026-11-25 14:05:30")).toBe(ms);
    expect(fromUtcInput("2026-11-25T14:05")).toBe(ms - 30_000);
    expect(fromUtcInput(" 2026-11-25 14:05:30 UTC ")).toBe(ms);
  });

  it("rejects what is not a date and time", () => {
    expect(fromUtcInput("")).toBeNull();
    expect(fromUtcInput("2026-11-25")).toBeNull();
    expect(fromUtcInput("2026-13-45 99:00")).toBeNull();
    expect(fromUtcInput("yesterday")).toBeNull();
  });
});
