"use client";

import { LIMIT_FIELDS, type LimitField } from "@/lib/api/limits";

export const LIMIT_LABELS: Record<LimitField, { name: string; unit: string }> = {
  max_parallel_requests: { name: "Max parallel requests", unit: "requests at once" },
  rpm_limit: { name: "RPM limit", unit: "requests a minute" },
  tpm_limit: { name: "TPM limit", unit: "tokens a minute" },
};

/** One input's state: the typed text, or "no limit". Empty text with `none` off means "as is" (team-wide) or invalid (one key). */
export type LimitDraft = Record<LimitField, { none: boolean; text: string }>;

export const showLimit = (v: number | null) => (v === null ? "no limit" : v.toLocaleString("en-US"));

/** What a value means on LiteLLM, in words. */
export function limitMeaning(field: LimitField, v: number | null): string {
  if (v === null) return "LiteLLM does not limit this";
  if (v === 0) return "LiteLLM rejects every request (0 admits none)";
  return `at most ${v.toLocaleString("en-US")} ${LIMIT_LABELS[field].unit}`;
}

/** A draft's value for a field: null for "no limit", undefined when left empty, NaN when not a number (the schema says why). */
export function draftValue(d: LimitDraft[LimitField]): number | null | undefined {
  if (d.none) return null;
  const t = d.text.trim();
  return t === "" ? undefined : Number(t);
}

/** The three limit inputs, each with a "No limit" choice. */
export function LimitInputs({ draft, onChange, emptyMeans }: { draft: LimitDraft; onChange: (d: LimitDraft) => void; emptyMeans: string }) {
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      {LIMIT_FIELDS.map((f) => (
        <fieldset key={f} className="space-y-2">
          <legend className="text-sm font-medium">{LIMIT_LABELS[f].name}</legend>
          <input
            aria-label={LIMIT_LABELS[f].name}
            name={f}
            inputMode="numeric"
            disabled={draft[f].none}
            value={draft[f].text}
            onChange={(e) => onChange({ ...draft, [f]: { ...draft[f], text: e.target.value } })}
            placeholder={draft[f].none ? "no limit" : emptyMeans}
            className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm tabular-nums shadow-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/30 disabled:bg-zinc-100 disabled:text-zinc-400 dark:border-zinc-700 dark:bg-zinc-950 dark:disabled:bg-zinc-900"
          />
          <label className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            <input type="checkbox" checked={draft[f].none} onChange={(e) => onChange({ ...draft, [f]: { ...draft[f], none: e.target.checked } })} />
            No limit
          </label>
        </fieldset>
      ))}
    </div>
  );
}

/** The optional reason every change carries into the audit trail. */
export function ReasonInput({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <div className="space-y-1">
      <label htmlFor="limit-reason" className="block text-sm font-medium">
        Reason <span className="font-normal text-zinc-500">(optional, kept in the audit trail)</span>
      </label>
      <input
        id="limit-reason"
        value={value}
        maxLength={500}
        onChange={(e) => onChange(e.target.value)}
        placeholder="e.g. provider quota raised to 20 concurrent"
        className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-950"
      />
    </div>
  );
}

/** The zero-limit consent: 0 blocks every request of the key on LiteLLM. */
export function ZeroConsent({ checked, onChange, what }: { checked: boolean; onChange: (v: boolean) => void; what: string }) {
  return (
    <label className="flex items-start gap-2 rounded-md border border-rose-300 bg-rose-50 px-3 py-2 text-sm text-rose-900 dark:border-rose-900 dark:bg-rose-950/60 dark:text-rose-200">
      <input type="checkbox" className="mt-0.5" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>A limit of 0 blocks every request of {what} on LiteLLM (a request is admitted only when in-flight + 1 ≤ limit). I mean to block it.</span>
    </label>
  );
}

export const PRIMARY_BUTTON =
  "rounded-md bg-sky-600 px-3 py-2 text-sm font-semibold text-white hover:bg-sky-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50";
export const QUIET_BUTTON = "rounded-md px-3 py-2 text-sm font-medium text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800";
