"use client";

import { bucketLabel, utcClock, utcStampMs } from "@/lib/view/charts/time-axis";
import type { KeyEvidence } from "@/lib/api/keys";
import { formatDuration } from "@/lib/view/format/duration";
import { Banner } from "@/components/ui/banner";
import { SkeletonRows } from "@/components/ui/skeleton";
import { ExportButtons } from "./export-buttons";
import { SmallButton } from "./small-button";

interface Props {
  window: { fromMs: number; toMs: number };
  evidence: KeyEvidence | undefined;
  loading: boolean;
  error: Error | null;
  limit: number | null;
  onExport: (format: "csv" | "json") => void;
  onClose: () => void;
}

/** The requests in flight at the peak instant of the chosen bucket: the evidence a bug report needs. */
export function EvidencePanel({ window: w, evidence, loading, error, limit, onExport, onClose }: Props) {
  const span = bucketLabel(w.fromMs, w.toMs - w.fromMs);
  return (
    <section aria-labelledby="evidence-title" data-testid="evidence" className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <h2 id="evidence-title" className="text-base font-semibold">
          Requests in flight at the peak
        </h2>
        <div className="flex items-center gap-3">
          <ExportButtons what="evidence" onCsv={() => onExport("csv")} onJson={() => onExport("json")} disabled={!evidence || evidence.requests.length === 0} />
          <SmallButton onClick={onClose} label="Close the evidence table">
            Close
          </SmallButton>
        </div>
      </div>
      {error ? (
        <Banner title="Could not read the requests">{error.message}</Banner>
      ) : loading || !evidence ? (
        <SkeletonRows rows={4} label="Loading the requests in flight" />
      ) : evidence.peakAtMs === null ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No request of this key was in flight in {span}.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="evidence-table">
            <caption className="mb-2 text-left text-sm text-zinc-600 dark:text-zinc-300" data-testid="evidence-caption">
              <Caption evidence={evidence} limit={limit} span={span} />
            </caption>
            <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">Request id</th>
                <th scope="col" className="py-2 pr-4 font-medium">Start (UTC)</th>
                <th scope="col" className="py-2 pr-4 font-medium">End (UTC)</th>
                <th scope="col" className="py-2 pr-4 text-right font-medium">Duration</th>
                <th scope="col" className="py-2 pr-4 font-medium">Model</th>
                <th scope="col" className="py-2 font-medium">Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {evidence.requests.map((r) => (
                <tr key={r.requestId} data-testid="evidence-row">
                  <td className="py-1.5 pr-4 font-mono text-xs">{r.requestId}</td>
                  <td className="py-1.5 pr-4 tabular-nums" title={utcStampMs(r.startMs)}>{utcClock(r.startMs, true)}</td>
                  <td className="py-1.5 pr-4 tabular-nums" title={utcStampMs(r.endMs)}>{utcClock(r.endMs, true)}</td>
                  <td className="py-1.5 pr-4 text-right tabular-nums" title={`${r.durationMs} ms`}>{formatDuration(r.durationMs)}</td>
                  <td className="py-1.5 pr-4">{r.model}</td>
                  <td className="py-1.5">{r.status ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Caption({ evidence: e, limit, span }: { evidence: KeyEvidence; limit: number | null; span: string }) {
  const over = limit !== null && e.peak > limit ? e.peak - limit : 0;
  return (
    <>
      <strong className="font-semibold text-zinc-900 dark:text-zinc-100">{e.peak}</strong> request{e.peak === 1 ? "" : "s"} in flight at{" "}
      <strong className="font-semibold text-zinc-900 dark:text-zinc-100">{utcStampMs(e.peakAtMs!)}</strong>, the most at once in {span}
      {limit !== null ? (
        <>
          {" "}
          — limit {limit}
          {over ? <span className="font-semibold text-rose-700 dark:text-rose-300"> ({over} over)</span> : " (within it)"}
        </>
      ) : null}
      {e.truncated ? ` · showing the first ${e.requests.length.toLocaleString("en-US")}` : null}
    </>
  );
}
