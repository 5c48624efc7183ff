"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { resolveRange, type RangeState } from "@/lib/dashboard/range";
import { fetchJson } from "@/lib/http/fetch-json";
import type { Overview } from "@/lib/overview/overview";

/** Every key's state over the range; refreshed every few seconds while the range follows the present. */
export function useOverview(range: RangeState) {
  return useQuery({
    queryKey: ["overview", range],
    queryFn: () => {
      const { fromMs, toMs } = resolveRange(range, Date.now());
      return fetchJson<Overview>(`/api/overview?from=${fromMs}&to=${toMs}`);
    },
    placeholderData: keepPreviousData,
    refetchInterval: range.kind === "preset" && range.live ? 5_000 : false,
  });
}
