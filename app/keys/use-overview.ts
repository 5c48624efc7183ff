"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { OverviewSchema } from "@/lib/api/keys";
import { fetchJson } from "@/lib/view/fetch-json";
import { resolveRange, type RangeState } from "@/lib/view/range";

/** Every key's state over the range; refreshed every few seconds while the range follows the present. */
export function useOverview(range: RangeState) {
  return useQuery({
    queryKey: ["overview", range],
    queryFn: ({ signal }) => {
      const { fromMs, toMs } = resolveRange(range, Date.now());
      return fetchJson(`/api/overview?from=${fromMs}&to=${toMs}`, OverviewSchema, { signal });
    },
    placeholderData: keepPreviousData,
    refetchInterval: range.kind === "preset" && range.live ? 5_000 : false,
  });
}
