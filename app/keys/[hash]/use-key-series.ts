"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { rangeParams, resolveRange, type RangeState } from "@/lib/view/range";
import { KeySeriesSchema } from "@/lib/api/keys";
import { ApiClientError, fetchJson } from "@/lib/view/fetch-json";

/** A live range refetches this often; a frozen one never does (its data only changes with late rows). */
const LIVE_REFRESH_MS = 5_000;
/** The "now" strip looks this far back. */
const RECENT_MS = 5 * 60_000;

const seriesUrl = (hash: string, fromMs: number, toMs: number, maxPoints: number) =>
  `/api/keys/${hash}/series?from=${fromMs}&to=${toMs}&maxPoints=${maxPoints}`;

/** An unknown key stays unknown until the catalog syncs: retrying a 404 only delays saying so. */
const retryUnlessNotFound = (failures: number, e: Error) => !(e instanceof ApiClientError && e.status === 404) && failures < 1;

/** The key's series over the page's range; the previous range's data stays up while a new one loads. */
export function useKeySeries(hash: string, range: RangeState) {
  const live = range.kind === "preset" && range.live;
  return useQuery({
    queryKey: ["key-series", hash, rangeParams(range)],
    queryFn: ({ signal }) => {
      const { fromMs, toMs } = resolveRange(range, Date.now());
      return fetchJson(seriesUrl(hash, fromMs, toMs, 1500), KeySeriesSchema, { signal });
    },
    placeholderData: keepPreviousData,
    refetchInterval: live ? LIVE_REFRESH_MS : false,
    retry: retryUnlessNotFound,
  });
}

/** The last few minutes at one-second resolution, whatever range the chart shows: the header's "now" (truth and belief). */
export function useRecentSeries(hash: string) {
  return useQuery({
    queryKey: ["key-recent", hash],
    queryFn: ({ signal }) => {
      const now = Date.now();
      return fetchJson(seriesUrl(hash, now - RECENT_MS, now, 300), KeySeriesSchema, { signal });
    },
    refetchInterval: LIVE_REFRESH_MS,
    retry: retryUnlessNotFound,
  });
}
