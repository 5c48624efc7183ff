import { describe, expect, it } from "vitest";
import { customRange, MAX_SPAN_MS, zoomOut } from "./range-edit";

const at = (iso: string) => Date.parse(iso);

describe("customRange", () => {
  it("reads the inputs as UTC", () => {
    expect(customRange("2026-11-25 14:00", "2026-11-25T14:30:15")).toEqual({
      range: { kind: "custom", fromMs: at("2026-11-25T14:00:00Z"), toMs: at("2026-11-25T14:30:15Z") },
    });
  });

  it("says what is wrong", () => {
    expect(customRange("", "2026-11-25T14:00")).toEqual({ error: "Enter both times" });
    expect(customRange("2026-11-25T14:00", "2026-11-25T13:00")).toEqual({ error: "“To” must be after “from”" });
    expect(customRange("2026-10-01T00:00", "2026-11-25T00:00")).toEqual({ error: "At most 30 days" });
  });
});

describe("zoomOut", () => {
  it("doubles the span around the middle", () => {
    expect(zoomOut(1000, 3000, 1e12)).toEqual({ kind: "custom", fromMs: 0, toMs: 4000 });
  });

  it("never reaches past now and never beyond the longest range", () => {
    expect(zoomOut(8000, 10_000, 10_000)).toEqual({ kind: "custom", fromMs: 6000, toMs: 10_000 });
    const z = zoomOut(0, MAX_SPAN_MS, 1e13);
    expect(z.kind === "custom" && z.toMs - z.fromMs).toBe(MAX_SPAN_MS);
  });
});
