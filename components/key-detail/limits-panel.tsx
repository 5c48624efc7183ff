"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
  LIMIT_LABELS as LABELS,
  LimitInputs,
  PRIMARY_BUTTON,
  QUIET_BUTTON,
  ReasonInput,
  ZeroConsent,
  draftValue,
  limitMeaning as meaning,
  showLimit as show,
  type LimitDraft as Draft,
} from "@/components/forms/limit-inputs";
import { Banner } from "@/components/ui/banner";
import { KeyLimitsViewSchema, LIMIT_FIELDS, LimitsEditSchema, type LimitField, type LimitsEdit, type LimitsEditResult } from "@/lib/api/limits";
import { impactSentence, limitImpact } from "@/lib/limits/impact";
import { fetchJson, sendJson } from "@/lib/view/fetch-json";

type Values = Record<LimitField, number | null>;

/**
 * The key's limits as LiteLLM holds them, and for admins an edit form: review before → after with
 * what the new max_parallel_requests would have done to the last 24 h, then apply. Validated by the
 * schema the server uses.
 */
export function LimitsPanel({ hash }: { hash: string }) {
  const view = useQuery({
    queryKey: ["key-limits", hash],
    queryFn: ({ signal }) => fetchJson(`/api/keys/${hash}/limits`, KeyLimitsViewSchema, { signal }),
  });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [reason, setReason] = useState("");
  const [review, setReview] = useState<{ edit: LimitsEdit; changed: LimitField[] } | null>(null);
  const [zeroConfirmed, setZeroConfirmed] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<LimitsEditResult | null>(null);
  const queries = useQueryClient();
  const apply = useMutation({
    mutationFn: (edit: LimitsEdit) => sendJson<LimitsEditResult>(`/api/keys/${hash}/limits`, edit),
    onSuccess: (r) => {
      setResult(r);
      setReview(null);
      setDraft(null);
      void queries.invalidateQueries({ queryKey: ["key-limits", hash] });
      void queries.invalidateQueries({ queryKey: ["key-series", hash] });
    },
    onError: (e: Error) => setProblem(e.message),
  });

  const live = view.data?.live ?? null;

  function startEditing() {
    if (!live) return;
    setResult(null);
    setProblem(null);
    setDraft(Object.fromEntries(LIMIT_FIELDS.map((f) => [f, { none: live[f] === null, text: live[f] === null ? "" : String(live[f]) }])) as Draft);
  }

  function toReview(e: React.FormEvent) {
    e.preventDefault();
    if (!draft || !live) return;
    const wanted: Partial<Values> = {};
    for (const f of LIMIT_FIELDS) {
      const v = draftValue(draft[f]) ?? (draft[f].none ? null : Number.NaN); // empty is not a value for one key
      if (v !== live[f]) wanted[f] = v;
    }
    const changed = Object.keys(wanted) as LimitField[];
    if (changed.length === 0) return setProblem("Nothing changed: every limit has its current value.");
    const edit = { ...wanted, ...(reason.trim() ? { reason: reason.trim() } : {}), confirmZero: true };
    const parsed = LimitsEditSchema.safeParse(edit);
    if (!parsed.success) return setProblem(parsed.error.issues.map((i) => i.message).join("; "));
    setProblem(null);
    setZeroConfirmed(false);
    setReview({ edit: parsed.data, changed });
  }

  const blocksAll = review ? review.changed.some((f) => review.edit[f] === 0) : false;

  return (
    <section aria-labelledby="limits-title" className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="limits-title" className="text-base font-semibold">
          Limits on LiteLLM
        </h2>
        {view.data?.canEdit && !draft && !review ? (
          <button
            type="button"
            onClick={startEditing}
            className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-950 dark:hover:bg-zinc-800"
          >
            Edit limits
          </button>
        ) : null}
      </div>

      {view.error ? <p className="mt-2 text-sm text-rose-700 dark:text-rose-300">{view.error.message}</p> : null}
      {view.data && !live ? <p className="mt-2 text-sm text-amber-700 dark:text-amber-300">{view.data.liveError}</p> : null}

      {live && !draft && !review ? (
        <dl className="mt-3 grid gap-3 sm:grid-cols-3">
          {LIMIT_FIELDS.map((f) => (
            <div key={f} className="rounded-md bg-zinc-50 px-3 py-2 dark:bg-zinc-950">
              <dt className="text-xs text-zinc-500 dark:text-zinc-400">{LABELS[f].name}</dt>
              <dd className="text-lg font-semibold tabular-nums" data-testid={`limit-${f}`}>
                {show(live[f])}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {view.data && !view.data.canEdit && view.data.editBlockedBy && view.data.live ? (
        <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">{view.data.editBlockedBy}</p>
      ) : null}

      {result ? (
        <div className="mt-4">
          <ResultBanner result={result} />
        </div>
      ) : null}
      {problem ? (
        <div className="mt-4">
          <Banner title="Not changed">{problem}</Banner>
        </div>
      ) : null}

      {draft && !review ? (
        <form onSubmit={toReview} className="mt-4 space-y-4" noValidate aria-label="Edit limits">
          <LimitInputs draft={draft} onChange={(d) => (setDraft(d), setProblem(null))} emptyMeans="a whole number" />
          <ReasonInput value={reason} onChange={setReason} />
          <div className="flex gap-2">
            <button type="submit" className={PRIMARY_BUTTON}>
              Review the change
            </button>
            <button type="button" onClick={() => (setDraft(null), setProblem(null))} className={QUIET_BUTTON}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}

      {review && live && view.data ? (
        <div className="mt-4 space-y-4" role="region" aria-label="Confirm the change">
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left text-xs text-zinc-500 dark:text-zinc-400">
                <th className="py-1 font-medium">Limit</th>
                <th className="py-1 font-medium">Now</th>
                <th className="py-1 font-medium">After</th>
                <th className="py-1 font-medium">Meaning</th>
              </tr>
            </thead>
            <tbody>
              {review.changed.map((f) => (
                <tr key={f} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td className="py-2 font-medium">{LABELS[f].name}</td>
                  <td className="py-2 tabular-nums text-zinc-500">{show(live[f])}</td>
                  <td className="py-2 font-semibold tabular-nums">{show(review.edit[f] ?? null)}</td>
                  <td className="py-2 text-zinc-600 dark:text-zinc-300">{meaning(f, review.edit[f] ?? null)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {review.changed.includes("max_parallel_requests") ? (
            <p className="rounded-md bg-zinc-50 px-3 py-2 text-sm dark:bg-zinc-950" data-testid="limit-impact">
              {impactSentence(limitImpact(view.data.minuteMaxima, review.edit.max_parallel_requests ?? null), review.edit.max_parallel_requests ?? null)}
            </p>
          ) : null}
          {review.edit.reason ? <p className="text-sm text-zinc-600 dark:text-zinc-300">Reason: {review.edit.reason}</p> : null}
          {blocksAll ? (
            <ZeroConsent checked={zeroConfirmed} onChange={setZeroConfirmed} what="this key" />
          ) : null}
          <p className="text-xs text-zinc-500 dark:text-zinc-400">{view.data.propagationNote}</p>
          <div className="flex gap-2">
            <button
              type="button"
              disabled={apply.isPending || (blocksAll && !zeroConfirmed)}
              onClick={() => apply.mutate({ ...review.edit, confirmZero: blocksAll ? zeroConfirmed : undefined })}
              className={PRIMARY_BUTTON}
            >
              {apply.isPending ? "Applying…" : "Apply on LiteLLM"}
            </button>
            <button type="button" onClick={() => setReview(null)} className={QUIET_BUTTON}>
              Back
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

function ResultBanner({ result }: { result: LimitsEditResult }) {
  if (result.outcome === "applied") {
    return (
      <Banner tone="info" title="Applied on LiteLLM">
        LiteLLM confirmed the new values; the chart marks the moment. {result.propagationNote}
      </Banner>
    );
  }
  const titles = { refused: "LiteLLM refused the change", unreachable: "LiteLLM did not apply the change", unconfirmed: "The change could not be confirmed" } as const;
  return (
    <Banner tone={result.outcome === "unconfirmed" ? "warning" : "error"} title={titles[result.outcome]}>
      {result.message} The attempt is in the audit trail.
    </Banner>
  );
}
