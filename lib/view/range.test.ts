import { describe, expect, it } from "vitest";
import { parseRange, rangeParams, resolveRange, type RangeState } from "./range";

describe("URL range state", () => {
  it.each<RangeState>([
    { kind: "preset", preset: "1h", live: true, at: null },
    { kind: "preset", preset: "7d", live: false, at: 1_795_000_000_000 },
    { kind: "custom", fromMs: 1_795_000_000_000, toMs: 1_795_000_600_000 },
  ])("round-trips %j", (r) => {
    expect(parseRange(rangeParams(r), "24h")).toEqual(r);
  });

  it("falls back to the page default on anything invalid", () => {
    const def = { kind: "preset", preset: "24h", live: true, at: null };
    expect(parseRange({ range: "2y" }, "24h")).toEqual(def);
    expect(parseRange({ range: "custom", from: "10", to: "5" }, "24h")).toEqual(def);
    expect(parseRange({ range: "custom" }, "24h")).toEqual(def);
  });

  it("a live preset follows the present; a frozen one and a custom range do not", () => {
    expect(resolveRange({ kind: "preset", preset: "15m", live: true, at: null }, 1_000_000_000)).toEqual({ fromMs: 1_000_000_000 - 900_000, toMs: 1_000_000_000, live: true });
    expect(resolveRange({ kind: "preset", preset: "15m", live: false, at: 5_000_000 }, 9e9)).toMatchObject({ toMs: 5_000_000, live: false });
    expect(resolveRange({ kind: "custom", fromMs: 1, toMs: 2 }, 9e9)).toEqual({ fromMs: 1, toMs: 2, live: false });
  });
});
