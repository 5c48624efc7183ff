"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { BurstProgressCard } from "@/components/burst/burst-progress";
import { BurstReportBody } from "@/components/burst/burst-report";
import { VerdictTag } from "@/components/burst/verdict-tag";
import { Banner } from "@/components/ui/banner";
import { BUTTON, DANGER_BUTTON, LINK } from "@/components/ui/controls";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { SkeletonRows } from "@/components/ui/skeleton";
import { BurstRunViewSchema, type BurstRunView } from "@/lib/api/bursts";
import { awaitingSpendLogs } from "@/lib/burst/report";
import { shortHash } from "@/lib/view/format/keys";
import { utcStamp } from "@/lib/view/format/time";
import { ApiClientError, fetchJson, sendJson } from "@/lib/view/fetch-json";

/** Polled fast while the burst runs, slower while the spend logs are awaited, then not at all. */
function pollEvery(run: BurstRunView | undefined): number | false {
  if (!run) return 1_000;
  if (run.state === "running") return 500;
  return run.report && awaitingSpendLogs(run.report, Date.now()) ? 2_000 : false;
}

export function BurstReportClient({ id, canCancel }: { id: string; canCancel: boolean }) {
  const queries = useQueryClient();
  const run = useQuery({
    queryKey: ["burst", id],
    queryFn: ({ signal }) => fetchJson(`/api/bursts/${encodeURIComponent(id)}`, BurstRunViewSchema, { signal }),
    refetchInterval: (q) => pollEvery(q.state.data),
  });
  const cancel = useMutation({
    mutationFn: () => sendJson(`/api/bursts/${encodeURIComponent(id)}/cancel`, {}),
    onSettled: () => void queries.invalidateQueries({ queryKey: ["burst", id] }),
  });

  if (run.error instanceof ApiClientError && run.error.status === 404) {
    return (
      <>
        <PageHeader title="Unknown burst test" />
        <EmptyState title="Inflight has no such burst test">
          <p>{run.error.message}.</p>
        </EmptyState>
      </>
    );
  }
  const r = run.data;
  if (!r) return run.error ? <Banner title="Could not read this burst test">{run.error.message}</Banner> : <SkeletonRows rows={4} label="Loading the burst test" />;

  const key = r.keyAlias ?? shortHash(r.keyHash);
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Burst test on ${key}`}
        description={
          <>
            Started {utcStamp(r.startedMs)} by {r.actorLabel} on {r.target === "twin" ? "a temporary twin key" : "the key itself"} ·{" "}
            <Link href={`/keys/${r.keyHash}`} className={LINK}>
              the key&apos;s page
            </Link>
            {r.auditId !== null ? (
              <>
                {" "}
                ·{" "}
                <Link href={`/audit?key=${r.keyHash}`} className={LINK}>
                  audit trail
                </Link>
              </>
            ) : null}
          </>
        }
        actions={
          <div className="flex items-center gap-2">
            <VerdictTag verdict={r.verdict} state={r.state} />
            {r.state === "running" && canCancel ? (
              <button type="button" className={DANGER_BUTTON} disabled={cancel.isPending || r.cancelRequested} onClick={() => cancel.mutate()}>
                {r.cancelRequested || cancel.isPending ? "Cancelling…" : "Cancel"}
              </button>
            ) : null}
            {r.state !== "running" ? (
              <a href={`/api/bursts/${encodeURIComponent(id)}?download=1`} className={BUTTON} download>
                Export JSON
              </a>
            ) : null}
          </div>
        }
      />
      {cancel.error ? <Banner title="Could not cancel">{cancel.error.message}</Banner> : null}
      {r.cleanupPending && r.state !== "running" ? (
        <Banner tone="warning" title="Cleanup pending on the proxy">
          {r.target === "twin"
            ? "The temporary twin key could not be deleted yet: Inflight retries every few seconds (it expires within 10 minutes anyway)."
            : "The key's metadata could not be put back yet: Inflight retries every few seconds; until then allow_client_mock_response stays true."}
        </Banner>
      ) : null}
      {r.state === "running" ? <BurstProgressCard run={r} /> : null}
      {r.state === "failed" || r.state === "interrupted" ? (
        <Banner title={r.state === "failed" ? "The burst test could not run" : "The burst test was interrupted"}>{r.message}</Banner>
      ) : null}
      {r.report ? <BurstReportBody report={r.report} /> : null}
    </div>
  );
}
