"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { alertFilterParams, parseAlertFilters, type AlertFilters } from "@/lib/view/alerts/list-state";

/** The Alerts page's filters and open alert, kept in the URL (replace, not push) so a link reproduces the view. */
export function useAlertsUrl() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useMemo(() => parseAlertFilters(Object.fromEntries(params)), [params]);
  const setFilters = useCallback(
    (next: Partial<AlertFilters>) => {
      const qs = new URLSearchParams(alertFilterParams({ ...filters, ...next })).toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [filters, router, pathname],
  );
  return { filters, setFilters };
}
