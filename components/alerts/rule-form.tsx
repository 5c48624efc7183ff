"use client";

import { useState } from "react";
import type { RuleView } from "@/lib/api/alerts";
import { DETECTORS, DETECTOR_LABELS, type Detector } from "@/lib/alerts/types";
import { formErrors } from "@/lib/view/form-errors";
import { DETECTOR_HELP, EMPTY_RULE, PARAM_LABELS, draftOf, paramDefaults, paramNames, ruleBody, type RuleDraft } from "@/lib/view/alerts/rule-draft";
import { INPUT, LABEL } from "@/components/ui/controls";
import { EditForm } from "./edit-form";
import { FieldError } from "./field-error";
import { useAlertWrite } from "./queries";

/**
 * Adds a rule, or edits one: its detector, which keys it covers and the detector's thresholds (an
 * empty threshold is the default, shown as the placeholder). The server checks every value; its
 * messages land by the field they are about.
 */
export function RuleForm({ rule, onDone }: { rule: RuleView | null; onDone: () => void }) {
  const [draft, setDraft] = useState<RuleDraft>(() => (rule ? draftOf(rule) : EMPTY_RULE));
  const save = useAlertWrite();
  const set = (d: Partial<RuleDraft>) => setDraft({ ...draft, ...d });
  const names = paramNames(draft.detector);
  const defaults = paramDefaults(draft.detector);
  const errors = save.error ? formErrors(save.error.message, ["name", "detector", "scope", ...names.map((n) => `params.${n}`)], { scope: "scope" }) : null;
  const err = (f: string) => errors?.byField[f];

  function submit(e: React.FormEvent) {
    e.preventDefault();
    save.mutate(
      { url: rule ? `/api/alerts/rules/${encodeURIComponent(rule.id)}` : "/api/alerts/rules", method: rule ? "PUT" : "POST", body: ruleBody(draft) },
      { onSuccess: onDone },
    );
  }

  return (
    <EditForm
      label={rule ? `Edit rule ${rule.name}` : "Add a rule"}
      title={rule ? `Edit “${rule.name}”` : "Add a rule"}
      errors={errors?.form}
      onSubmit={submit}
      onCancel={onDone}
      submitLabel={rule ? "Save rule" : "Add rule"}
      busy={save.isPending}
      aside={
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Enabled
        </label>
      }
    >
      <div className="grid gap-4 md:grid-cols-2">
        <label className={LABEL}>
          <span className="block">Name</span>
          <input aria-label="Name" className={`${INPUT} w-full`} value={draft.name} onChange={(e) => set({ name: e.target.value })} aria-invalid={!!err("name")} aria-describedby="rule-name-error" placeholder="e.g. Team web above its limit" />
          <FieldError id="rule-name-error" error={err("name")} />
        </label>
        <label className={LABEL}>
          <span className="block">Detector</span>
          <select
            aria-label="Detector"
            className={`${INPUT} w-full`}
            value={draft.detector}
            disabled={rule?.builtIn}
            onChange={(e) => set({ detector: e.target.value as Detector, params: {} })}
            aria-invalid={!!err("detector")}
          >
            {DETECTORS.map((d) => (
              <option key={d} value={d}>
                {DETECTOR_LABELS[d]}
              </option>
            ))}
          </select>
          <span className="block font-normal text-zinc-500 dark:text-zinc-400">
            {DETECTOR_HELP[draft.detector]}
            {rule?.builtIn ? " A built-in rule keeps its detector." : ""}
          </span>
          <FieldError id="rule-detector-error" error={err("detector")} />
        </label>
      </div>
      <fieldset className="space-y-1">
        <legend className="mb-1 text-xs font-semibold text-zinc-700 dark:text-zinc-300">Applies to</legend>
        <div className="flex flex-wrap items-center gap-3">
          {(["all", "team", "key"] as const).map((s) => (
            <label key={s} className="flex items-center gap-1.5 text-sm">
              <input type="radio" name="rule-scope" checked={draft.scope === s} onChange={() => set({ scope: s, scopeValue: "" })} />
              {s === "all" ? "every key" : s === "team" ? "a team" : "one key"}
            </label>
          ))}
          {draft.scope !== "all" ? (
            <input
              aria-label={draft.scope === "team" ? "Team id" : "Key hash"}
              className={`${INPUT} ${draft.scope === "key" ? "w-[36rem] max-w-full font-mono" : "w-48"}`}
              value={draft.scopeValue}
              onChange={(e) => set({ scopeValue: e.target.value })}
              placeholder={draft.scope === "team" ? "LiteLLM team id" : "the key's SHA-256 hash (64 hex characters)"}
              aria-invalid={!!err("scope")}
            />
          ) : null}
        </div>
        <FieldError id="rule-scope-error" error={err("scope")} />
      </fieldset>
      <fieldset>
        <legend className="mb-2 text-xs font-semibold text-zinc-700 dark:text-zinc-300">Thresholds (empty: the default)</legend>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {names.map((n) => {
            const meta = PARAM_LABELS[n] ?? { label: n, unit: "", hint: "" };
            return (
              <label key={n} className={LABEL}>
                <span className="block">
                  {meta.label} <span className="font-normal text-zinc-400">({meta.unit})</span>
                </span>
                <input
                  aria-label={meta.label}
                  className={`${INPUT} w-full tabular-nums`}
                  inputMode="decimal"
                  value={draft.params[n] ?? ""}
                  onChange={(e) => set({ params: { ...draft.params, [n]: e.target.value } })}
                  placeholder={`default ${defaults[n]}`}
                  aria-invalid={!!err(`params.${n}`)}
                  aria-describedby={`rule-param-${n}-note`}
                />
                {err(`params.${n}`) ? (
                  <FieldError id={`rule-param-${n}-note`} error={err(`params.${n}`)} />
                ) : (
                  <span id={`rule-param-${n}-note`} className="block font-normal text-zinc-500 dark:text-zinc-400">
                    {meta.hint}
                  </span>
                )}
              </label>
            );
          })}
        </div>
      </fieldset>
    </EditForm>
  );
}
