import { describe, expect, it } from "vitest";
import { keyStatus, severity, type StatusInput } from "./status";

const base: StatusInput = {
  limitNow: 5,
  admitted: 100,
  rejected: 0,
  limited: 0,
  exceededInRange: false,
  exceededRecently: false,
  recentPeak: 3,
  recentRejected: 0,
  believed: 2,
};

describe("key status", () => {
  it.each<[string, Partial<StatusInput>, ReturnType<typeof keyStatus>]>([
    ["no requests at all", { admitted: 0, rejected: 0 }, "no-traffic"],
    ["only 429s of its rpm limit: the proxy answered, so it has traffic", { admitted: 0, rejected: 0, limited: 4, recentPeak: 0 }, "ok"],
    ["within its limit", {}, "ok"],
    ["above it in the last minutes", { exceededInRange: true, exceededRecently: true }, "exceeding"],
    ["above it earlier only", { exceededInRange: true }, "exceeded"],
    ["above an earlier limit, no limit now", { limitNow: null, exceededInRange: true }, "exceeded"],
    ["no limit set", { limitNow: null, recentPeak: 50 }, "no-limit"],
    ["429s with nothing in flight and LiteLLM believing it full", { recentRejected: 30, recentPeak: 0, believed: 5 }, "stuck"],
    ["429s with nothing in flight, belief not visible", { recentRejected: 30, recentPeak: 0, believed: null }, "stuck"],
    ["429s with nothing in flight but LiteLLM believing it has room: not stuck", { recentRejected: 3, recentPeak: 0, believed: 1 }, "ok"],
    ["429s while requests run: the limiter works", { recentRejected: 30, recentPeak: 5 }, "ok"],
  ])("%s", (_, patch, expected) => {
    expect(keyStatus({ ...base, ...patch })).toBe(expected);
  });

  it("orders worst first: stuck, then by peak / limit, keys without limit or traffic last", () => {
    const s = [severity("ok", 0.8), severity("exceeding", 2.4), severity("no-limit", null), severity("no-traffic", 0), severity("stuck", 0)];
    const order = s.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
    expect(order).toEqual([4, 1, 0, 2, 3]);
  });
});
