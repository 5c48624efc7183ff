import { describe, expect, it } from "vitest";
import type { OverviewRow } from "./overview";
import { DEFAULT_TABLE, displayOrder, filterRows, parseTableState, sortRows, tableParams } from "./table-state";

const row = (alias: string | null, patch: Partial<OverviewRow> = {}): OverviewRow => ({
  hash: (alias ?? "z").padEnd(64, "0"),
  alias,
  teamId: null,
  inCatalog: true,
  maxParallelRequests: 5,
  rpmLimit: null,
  tpmLimit: null,
  inFlightNow: 0,
  believedNow: null,
  peak: 0,
  peakRatio: 0,
  violations: 0,
  secondsOver: 0,
  admitted: 1,
  rejected: 0,
  sparkline: [],
  status: "ok",
  severity: 0,
  ...patch,
});

describe("overview table state", () => {
  it("round-trips through URL params and ignores junk", () => {
    const t = { sort: "violations" as const, dir: "asc" as const, q: "prod", team: "ml" };
    expect(parseTableState(tableParams(t))).toEqual(t);
    expect(tableParams(DEFAULT_TABLE)).toEqual({});
    expect(parseTableState({ sort: "drop table", dir: "sideways" })).toEqual(DEFAULT_TABLE);
  });

  it("filters by alias, hash prefix or team, and by team exactly", () => {
    const rows = [row("prod-api", { teamId: "ml" }), row("batch", { teamId: "data" }), row(null)];
    expect(filterRows(rows, { ...DEFAULT_TABLE, q: "PROD" }).map((r) => r.alias)).toEqual(["prod-api"]);
    expect(filterRows(rows, { ...DEFAULT_TABLE, q: "dat" }).map((r) => r.alias)).toEqual(["batch"]);
    expect(filterRows(rows, { ...DEFAULT_TABLE, q: "z000" })).toHaveLength(1);
    expect(filterRows(rows, { ...DEFAULT_TABLE, team: "ml" }).map((r) => r.alias)).toEqual(["prod-api"]);
  });

  it("sorts any column, nulls last, ties by alias", () => {
    const rows = [row("b", { believedNow: 2 }), row("a", { believedNow: null }), row("c", { believedNow: 7 }), row("d", { believedNow: 2 })];
    expect(sortRows(rows, { ...DEFAULT_TABLE, sort: "belief", dir: "desc" }).map((r) => r.alias)).toEqual(["c", "b", "d", "a"]);
    expect(sortRows(rows, { ...DEFAULT_TABLE, sort: "belief", dir: "asc" }).map((r) => r.alias)).toEqual(["b", "d", "c", "a"]);
    expect(sortRows(rows, { ...DEFAULT_TABLE, sort: "key", dir: "asc" }).map((r) => r.alias)).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps the displayed order while the pointer is on the table, adding new keys at the end", () => {
    const [a, b, c] = [row("a"), row("b"), row("c")];
    const first = displayOrder([], [a, b], false);
    expect(displayOrder(first, [c, b, a], true)).toEqual([a.hash, b.hash, c.hash]);
    expect(displayOrder(first, [b], true)).toEqual([b.hash]);
    expect(displayOrder(first, [c, b, a], false)).toEqual([c.hash, b.hash, a.hash]);
  });
});
