"use client";

import Link from "next/link";
import { useCallback, useState } from "react";
import { AlertDetail } from "@/components/alerts/alert-detail";
import { AlertsTable } from "@/components/alerts/alerts-table";
import { useAlerts, useRules } from "@/components/alerts/queries";
import { useNow } from "@/components/shell/use-now";
import { Banner } from "@/components/ui/banner";
import { BUTTON, INPUT, LABEL, LINK } from "@/components/ui/controls";
import { EmptyState } from "@/components/ui/empty-state";
import { SkeletonRows } from "@/components/ui/skeleton";
import { STATE_FILTERS, STATE_FILTER_LABELS, alertListQuery, isKeyHash, type StateFilter } from "@/lib/view/alerts/list-state";
import { useAlertsUrl } from "./use-alerts-url";

const PAGE = 100;
/** The API's most per request. */
const MOST = 500;

export function AlertsClient({ admin }: { admin: boolean }) {
  const { filters, setFilters } = useAlertsUrl();
  const [limit, setLimit] = useState(PAGE);
  const alerts = useAlerts(alertListQuery(filters, limit));
  const rules = useRules();
  const now = useNow(10_000);
  const close = useCallback(() => setFilters({ alert: null }), [setFilters]);
  const rows = alerts.data?.alerts;
  const filtered = filters.state !== "all" || filters.key !== "" || filters.rule !== "";

  return (
    <div className="space-y-4">
      <form className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()} aria-label="Filter the alerts">
        <label className={LABEL}>
          <span className="block">State</span>
          <select className={INPUT} value={filters.state} onChange={(e) => setFilters({ state: e.target.value as StateFilter })}>
            {STATE_FILTERS.map((s) => (
              <option key={s} value={s}>
                {STATE_FILTER_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label className={LABEL}>
          <span className="block">Key (hash)</span>
          <input
            className={`${INPUT} w-64 font-mono`}
            value={filters.key}
            aria-invalid={filters.key !== "" && !isKeyHash(filters.key)}
            onChange={(e) => setFilters({ key: e.target.value.trim() })}
            placeholder="64 hex characters"
          />
        </label>
        <label className={LABEL}>
          <span className="block">Rule</span>
          <select className={`${INPUT} max-w-64`} value={filters.rule} onChange={(e) => setFilters({ rule: e.target.value })}>
            <option value="">every rule</option>
            {rules.data?.rules.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        {filtered ? (
          <button type="button" className={`${BUTTON} mb-1`} onClick={() => setFilters({ state: "all", key: "", rule: "" })}>
            Clear filters
          </button>
        ) : null}
      </form>

      <div className={filters.alert ? "grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_30rem]" : ""}>
        <div className="min-w-0 space-y-4">
          {alerts.error ? <Banner title="Could not read the alerts">{alerts.error.message}</Banner> : null}
          {!rows ? (
            alerts.error ? null : <SkeletonRows rows={6} label="Loading alerts" />
          ) : rows.length === 0 ? (
            filtered ? <EmptyState title="No alerts match">Clear a filter to see more.</EmptyState> : <NoAlertsYet admin={admin} />
          ) : (
            <>
              <AlertsTable alerts={rows} openId={filters.alert} onOpen={(id) => setFilters({ alert: id })} now={now} />
              {rows.length >= limit ? (
                limit < MOST ? (
                  <button type="button" className={BUTTON} onClick={() => setLimit(Math.min(MOST, limit + PAGE))}>
                    Show {PAGE} more
                  </button>
                ) : (
                  <p className="text-xs text-zinc-500">Showing the newest {MOST}: narrow the filters to see older alerts.</p>
                )
              ) : null}
            </>
          )}
        </div>
        {filters.alert ? <AlertDetail id={filters.alert} admin={admin} now={now} onClose={close} onOnlyKey={(key) => setFilters({ key })} /> : null}
      </div>
    </div>
  );
}

/** What would appear here, and that it is already watching: the default rules cover every key with a limit. */
function NoAlertsYet({ admin }: { admin: boolean }) {
  return (
    <EmptyState title="No alerts yet">
      <p>
        An alert appears here when a key runs more requests at once than its max_parallel_requests, when LiteLLM answers 429 while few requests are really in
        flight (a stuck limiter), when the peak sits at a multiple of the limit (each worker counting on its own), or when LiteLLM&apos;s count drifts from the
        truth.
      </p>
      <p className="mt-2">
        Default rules watch every key with a limit from the start
        {admin ? (
          <>
            {"; "}
            <Link href="/settings/alerts" className={LINK}>
              tune them, add channels or silence a key
            </Link>
            .
          </>
        ) : (
          "; an admin tunes them."
        )}
      </p>
    </EmptyState>
  );
}
