"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { parseRange, rangeParams, type RangePreset, type RangeState } from "@/lib/view/range";

/** The page's range, kept in the URL (replace, not push) so a link reproduces the view. */
export function useRangeUrl(fallback: RangePreset): [RangeState, (r: RangeState) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const range = useMemo(() => parseRange(Object.fromEntries(params), fallback), [params, fallback]);
  const setRange = useCallback(
    (r: RangeState) => router.replace(`${pathname}?${new URLSearchParams(rangeParams(r))}`, { scroll: false }),
    [router, pathname],
  );
  return [range, setRange];
}
