"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import {
  LIMIT_LABELS,
  LimitInputs,
  PRIMARY_BUTTON,
  QUIET_BUTTON,
  ReasonInput,
  ZeroConsent,
  draftValue,
  showLimit,
  type LimitDraft,
} from "@/components/forms/limit-inputs";
import { Banner } from "@/components/ui/banner";
import { LIMIT_FIELDS, LimitsEditSchema, type LimitsEdit, type TeamLimitsPreview, type TeamLimitsResult } from "@/lib/api/limits";
import { sendJson } from "@/lib/view/fetch-json";

const EMPTY: LimitDraft = { max_parallel_requests: { none: false, text: "" }, rpm_limit: { none: false, text: "" }, tpm_limit: { none: false, text: "" } };

/**
 * One change for every key of a team (admins): fields left empty stay as each key has them. The
 * preview lists every key with its values now and after, and what the new max_parallel_requests
 * would have done to its last 24 h; applying changes each key in turn, each in the audit trail.
 */
export function TeamLimitsPanel({ team, onClose }: { team: string; onClose: () => void }) {
  const [draft, setDraft] = useState<LimitDraft>(EMPTY);
  const [reason, setReason] = useState("");
  const [edit, setEdit] = useState<LimitsEdit | null>(null);
  const [zeroConfirmed, setZeroConfirmed] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const url = `/api/teams/${encodeURIComponent(team)}/limits`;
  const preview = useMutation({ mutationFn: (e: LimitsEdit) => sendJson<TeamLimitsPreview>(`${url}/preview`, e), onError: (e: Error) => setProblem(e.message) });
  const apply = useMutation({ mutationFn: (e: LimitsEdit) => sendJson<TeamLimitsResult>(url, e), onError: (e: Error) => setProblem(e.message) });

  function review(e: React.FormEvent) {
    e.preventDefault();
    const wanted = Object.fromEntries(LIMIT_FIELDS.flatMap((f) => (draftValue(draft[f]) === undefined ? [] : [[f, draftValue(draft[f])]])));
    const parsed = LimitsEditSchema.safeParse({ ...wanted, ...(reason.trim() ? { reason: reason.trim() } : {}), confirmZero: true });
    if (!parsed.success) return setProblem(parsed.error.issues.map((i) => i.message).join("; "));
    setProblem(null);
    setZeroConfirmed(false);
    setEdit(parsed.data);
    preview.mutate(parsed.data);
  }

  const changing = edit ? LIMIT_FIELDS.filter((f) => edit[f] !== undefined) : [];
  const blocksAll = changing.some((f) => edit?.[f] === 0);
  const rows = preview.data?.rows ?? [];
  const toChange = rows.filter((r) => r.changes).length;

  return (
    <section aria-label={`Change the limits of team ${team}`} className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div>
        <h2 className="text-base font-semibold">Change the limits of every key of team {team}</h2>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Leave a field empty to keep each key&apos;s own value. You see every key before anything changes.</p>
      </div>
      {problem ? <Banner title="Not changed">{problem}</Banner> : null}
      {apply.data ? (
        <Banner tone={apply.data.results.every((r) => r.outcome === "applied" || r.outcome === "unchanged") ? "info" : "warning"} title="Done, key by key">
          <ul className="mt-1 space-y-0.5" data-testid="team-results">
            {apply.data.results.map((r) => (
              <li key={r.hash}>
                {r.alias ?? r.hash.slice(0, 8)}: {r.outcome}
                {r.message ? ` (${r.message})` : ""}
              </li>
            ))}
          </ul>
          <p className="mt-2">{apply.data.propagationNote}</p>
        </Banner>
      ) : !edit || !preview.data ? (
        <form onSubmit={review} className="space-y-4" noValidate aria-label="Team-wide limits">
          <LimitInputs draft={draft} onChange={(d) => (setDraft(d), setProblem(null))} emptyMeans="as each key has it" />
          <ReasonInput value={reason} onChange={setReason} />
          <div className="flex gap-2">
            <button type="submit" className={PRIMARY_BUTTON} disabled={preview.isPending}>
              {preview.isPending ? "Reading every key…" : "Preview key by key"}
            </button>
            <button type="button" onClick={onClose} className={QUIET_BUTTON}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="space-y-4">
          <table className="w-full text-sm" data-testid="team-preview">
            <thead className="text-left text-xs text-zinc-500 dark:text-zinc-400">
              <tr>
                <th className="py-1 font-medium">Key</th>
                {changing.map((f) => (
                  <th key={f} className="py-1 font-medium">
                    {LIMIT_LABELS[f].name}: now → after
                  </th>
                ))}
                <th className="py-1 font-medium">Last 24 h</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.hash} className={`border-t border-zinc-100 dark:border-zinc-800 ${r.changes ? "" : "text-zinc-400"}`}>
                  <td className="py-2 font-medium">{r.alias ?? r.hash.slice(0, 8)}</td>
                  {changing.map((f) => (
                    <td key={f} className="py-2 tabular-nums">
                      {r.before ? `${showLimit(r.before[f])} → ${showLimit(r.after![f])}` : "—"}
                    </td>
                  ))}
                  <td className="py-2 text-xs">
                    {r.liveError
                      ? `skipped: ${r.liveError}`
                      : !r.changes
                        ? "already so: left alone"
                        : `peak ${r.peak24h}${changing.includes("max_parallel_requests") ? `; ${r.minutesAbove ? `rejections in ${r.minutesAbove} min` : "no rejections"} at the new limit` : ""}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {blocksAll ? <ZeroConsent checked={zeroConfirmed} onChange={setZeroConfirmed} what={`every key of ${team}`} /> : null}
          <div className="flex gap-2">
            <button
              type="button"
              className={PRIMARY_BUTTON}
              disabled={apply.isPending || toChange === 0 || (blocksAll && !zeroConfirmed)}
              onClick={() => apply.mutate({ ...edit, confirmZero: blocksAll ? zeroConfirmed : undefined })}
            >
              {apply.isPending ? "Applying key by key…" : `Apply to ${toChange} key${toChange === 1 ? "" : "s"} on LiteLLM`}
            </button>
            <button type="button" onClick={() => preview.reset()} className={QUIET_BUTTON}>
              Back
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
