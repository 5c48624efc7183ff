import { describe, expect, it } from "vitest";
import { DEFAULT_FILTERS, alertFilterParams, alertListQuery, parseAlertFilters, type AlertFilters } from "./list-state";

const HASH = "a".repeat(64);

describe("the Alerts page's URL state", () => {
  it.each<AlertFilters>([DEFAULT_FILTERS, { state: "firing", key: HASH, rule: "default-exceeded", alert: "x1" }, { state: "resolved", key: "", rule: "", alert: null }])(
    "round-trips %j",
    (f) => {
      expect(parseAlertFilters(alertFilterParams(f))).toEqual(f);
    },
  );

  it("falls back to the defaults on anything invalid, and leaves defaults out of links", () => {
    expect(parseAlertFilters({ state: "loud", alert: "" })).toEqual(DEFAULT_FILTERS);
    expect(alertFilterParams(DEFAULT_FILTERS)).toEqual({});
  });

  it("asks the API only for what it accepts: a whole hash, a state other than all", () => {
    expect(alertListQuery({ ...DEFAULT_FILTERS, key: "abc" }, 100)).toBe("limit=100");
    expect(alertListQuery({ state: "open", key: HASH, rule: "r1", alert: "x" }, 200)).toBe(`limit=200&state=open&key=${HASH}&rule=r1`);
  });
});
