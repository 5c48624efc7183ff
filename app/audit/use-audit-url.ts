"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

/** The audit page's filters, kept in the URL so a link reproduces the view. */
export interface AuditFilters {
  key: string;
  actor: string;
  outcome: string;
  /** Dates as typed in the date inputs (YYYY-MM-DD, UTC days). */
  from: string;
  to: string;
}

const FIELDS = ["key", "actor", "outcome", "from", "to"] as const;

export function useAuditUrl() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useMemo(() => Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ""])) as unknown as AuditFilters, [params]);
  const setFilters = useCallback(
    (next: Partial<AuditFilters>) => {
      const merged = { ...filters, ...next };
      const qs = new URLSearchParams(Object.entries(merged).filter(([, v]) => v !== "")).toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [filters, router, pathname],
  );
  return { filters, setFilters };
}

/** The API query for these filters: whole UTC days, the `to` day included. */
export function auditQuery(f: AuditFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (/^[0-9a-f]{64}$/.test(f.key)) q.set("key", f.key);
  if (f.actor.trim()) q.set("actor", f.actor.trim());
  if (f.outcome) q.set("outcome", f.outcome);
  const day = (s: string) => Date.parse(`${s}T00:00:00Z`);
  if (f.from && Number.isFinite(day(f.from))) q.set("from", String(day(f.from)));
  if (f.to && Number.isFinite(day(f.to))) q.set("to", String(day(f.to) + 86_400_000));
  return q;
}
