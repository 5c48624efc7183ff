"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { parseRange, rangeParams, type RangePreset, type RangeState } from "@/lib/view/range";
import { parseTableState, tableParams, type TableState } from "@/lib/view/table-state";

/** The overview's range, sort and filter, kept in the URL so a link reproduces the view. */
export function useOverviewUrl() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const raw = useMemo(() => Object.fromEntries(params), [params]);
  const range = useMemo(() => parseRange(raw, "24h"), [raw]);
  const table = useMemo(() => parseTableState(raw), [raw]);

  const write = useCallback(
    (r: RangeState, t: TableState) => {
      const qs = new URLSearchParams({ ...rangeParams(r), ...tableParams(t) }).toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [router, pathname],
  );
  return {
    range,
    table,
    setPreset: (preset: RangePreset) => write({ kind: "preset", preset, live: true, at: null }, table),
    setTable: (t: Partial<TableState>) => write(range, { ...table, ...t }),
  };
}
