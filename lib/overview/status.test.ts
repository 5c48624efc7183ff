import { describe, expect, it } from "vitest";
import { keyStatus, severity, type StatusInput } from "./status";

const base: StatusInput = { limit: 5, peak: 3, admitted: 100, rejected: 0, recentPeak: 3, recentRejected: 0, believed: 2 };

describe("key status", () => {
  it.each<[string, Partial<StatusInput>, ReturnType<typeof keyStatus>]>([
    ["no requests at all", { admitted: 0, rejected: 0 }, "no-traffic"],
    ["within its limit", {}, "ok"],
    ["at its limit is within it", { peak: 5, recentPeak: 5 }, "ok"],
    ["above it in the last minutes", { peak: 8, recentPeak: 6 }, "exceeding"],
    ["above it earlier only", { peak: 8, recentPeak: 2 }, "exceeded"],
    ["no limit set", { limit: null, peak: 50, recentPeak: 50 }, "no-limit"],
    ["429s with nothing in flight and LiteLLM believing it full", { recentRejected: 30, recentPeak: 0, believed: 5 }, "stuck"],
    ["429s with nothing in flight, belief not visible", { recentRejected: 30, recentPeak: 0, believed: null }, "stuck"],
    ["429s with nothing in flight but LiteLLM believing it has room: not stuck", { recentRejected: 3, recentPeak: 0, believed: 1 }, "ok"],
    ["429s while requests run: the limiter works", { recentRejected: 30, recentPeak: 5 }, "ok"],
  ])("%s", (_, patch, expected) => {
    expect(keyStatus({ ...base, ...patch })).toBe(expected);
  });

  it("orders worst first: stuck, then by peak / limit, keys without limit or traffic last", () => {
    const s = [
      severity({ status: "ok", peak: 4, limit: 5 }),
      severity({ status: "exceeding", peak: 12, limit: 5 }),
      severity({ status: "no-limit", peak: 40, limit: null }),
      severity({ status: "no-traffic", peak: 0, limit: 5 }),
      severity({ status: "stuck", peak: 0, limit: 5 }),
    ];
    const order = s.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
    expect(order).toEqual([4, 1, 0, 2, 3]);
  });
});
