import { describe, expect, it } from "vitest";
import { keyStateFixture } from "../../tests/support/key-state";
import type { OverviewRow } from "../api/keys";
import { DEFAULT_TABLE, displayOrder, filterRows, parseTableState, sortRows, tableParams } from "./table-state";

const row = (alias: string | null, patch: Partial<Omit<OverviewRow, "state">> & { state?: Partial<OverviewRow["state"]> } = {}): OverviewRow => ({
  hash: (alias ?? "z").padEnd(64, "0"),
  alias,
  teamId: null,
  inCatalog: true,
  maxParallelRequests: 5,
  rpmLimit: null,
  tpmLimit: null,
  sparkline: [],
  live: null,
  ...patch,
  state: keyStateFixture(patch.state),
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
    const rows = [row("b", { state: { believedNow: 2 } }), row("a", { state: { believedNow: null } }), row("c", { state: { believedNow: 7 } }), row("d", { state: { believedNow: 2 } })];
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
