import type { OverviewRow } from "../api/keys";

export const SORT_COLUMNS = ["severity", "key", "team", "limit", "now", "belief", "peak", "violations", "rejected"] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDir = "asc" | "desc";

export interface TableState {
  sort: SortColumn;
  dir: SortDir;
  q: string;
  team: string | null;
}

export const DEFAULT_TABLE: TableState = { sort: "severity", dir: "desc", q: "", team: null };

/** Reads sort and filter from URL params; unknown values fall back to the defaults. */
export function parseTableState(p: Record<string, string | string[] | undefined>): TableState {
  const one = (k: string) => (Array.isArray(p[k]) ? p[k]![0] : (p[k] as string | undefined));
  const sort = (SORT_COLUMNS as readonly string[]).includes(one("sort") ?? "") ? (one("sort") as SortColumn) : DEFAULT_TABLE.sort;
  const dir = one("dir") === "asc" ? "asc" : one("dir") === "desc" ? "desc" : DEFAULT_TABLE.dir;
  return { sort, dir, q: (one("q") ?? "").slice(0, 200), team: one("team") || null };
}

/** The URL params of a table state, defaults left out so links stay short. */
export function tableParams(t: TableState): Record<string, string> {
  const out: Record<string, string> = {};
  if (t.sort !== DEFAULT_TABLE.sort || t.dir !== DEFAULT_TABLE.dir) Object.assign(out, { sort: t.sort, dir: t.dir });
  if (t.q) out.q = t.q;
  if (t.team) out.team = t.team;
  return out;
}

export function filterRows(rows: OverviewRow[], t: TableState): OverviewRow[] {
  const needle = t.q.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!t.team || r.teamId === t.team) &&
      (!needle || (r.alias ?? "").toLowerCase().includes(needle) || r.hash.startsWith(needle) || (r.teamId ?? "").toLowerCase().includes(needle)),
  );
}

const nullsLast = (v: number | null, dir: SortDir) => (v === null ? (dir === "asc" ? Infinity : -Infinity) : v);

const VALUE: Record<SortColumn, (r: OverviewRow) => number | string | null> = {
  severity: (r) => r.state.severity,
  key: (r) => (r.alias ?? `~${r.hash}`).toLowerCase(),
  team: (r) => r.teamId?.toLowerCase() ?? "~",
  limit: (r) => r.maxParallelRequests,
  now: (r) => r.live ?? r.state.inFlightNow,
  belief: (r) => r.state.believedNow,
  peak: (r) => r.state.peakRatio,
  violations: (r) => r.state.violations,
  rejected: (r) => r.state.rejected,
};

/** Sorted copy; ties keep alias order so the table never reshuffles equal rows. */
export function sortRows(rows: OverviewRow[], t: TableState): OverviewRow[] {
  const get = VALUE[t.sort];
  const sign = t.dir === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = get(a);
    const vb = get(b);
    let c = 0;
    if (typeof va === "string" || typeof vb === "string") c = String(va).localeCompare(String(vb));
    else c = nullsLast(va, t.dir) - nullsLast(vb, t.dir);
    return sign * c || (a.alias ?? a.hash).localeCompare(b.alias ?? b.hash);
  });
}

/**
 * Row order to display: while the operator's pointer is on the table (`hold`), rows keep the
 * order they had, with new keys added at the end and gone keys dropped, so a refresh never moves
 * the row under the cursor; otherwise the freshly sorted order.
 */
export function displayOrder(previous: string[], sorted: OverviewRow[], hold: boolean): string[] {
  const fresh = sorted.map((r) => r.hash);
  if (!hold || previous.length === 0) return fresh;
  const present = new Set(fresh);
  const kept = previous.filter((h) => present.has(h));
  const known = new Set(kept);
  return [...kept, ...fresh.filter((h) => !known.has(h))];
}
