"use client";

import { useState } from "react";
import type { RuleView } from "@/lib/api/alerts";
import { SILENCE_PRESETS } from "@/lib/view/alerts/silences";
import { formErrors } from "@/lib/view/form-errors";
import { Banner } from "@/components/ui/banner";
import { BUTTON, INPUT, LABEL, PRIMARY } from "@/components/ui/controls";
import { FieldError } from "./field-error";
import { useAlertWrite } from "./queries";

const FIELDS = ["ruleId", "keyHash", "teamId", "minutes", "comment"];

/** Mutes notifications for a while: of a rule, a key, a team, or where they meet (each field set narrows it). */
export function SilenceForm({ rules }: { rules: RuleView[] }) {
  const [ruleId, setRuleId] = useState("");
  const [keyHash, setKeyHash] = useState("");
  const [teamId, setTeamId] = useState("");
  const [minutes, setMinutes] = useState("60");
  const [comment, setComment] = useState("");
  const save = useAlertWrite();
  const errors = save.error ? formErrors(save.error.message, FIELDS) : null;
  const err = (f: string) => errors?.byField[f];

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const body = { ruleId: ruleId || null, keyHash: keyHash.trim() || null, teamId: teamId.trim() || null, minutes: Number(minutes), comment };
    save.mutate(
      { url: "/api/alerts/silences", body },
      {
        onSuccess: () => {
          setRuleId("");
          setKeyHash("");
          setTeamId("");
          setComment("");
        },
      },
    );
  }

  return (
    <form onSubmit={submit} aria-label="Add a silence" className="space-y-3 border-t border-zinc-100 pt-4 dark:border-zinc-800">
      <p className="text-sm font-semibold">Add a silence</p>
      {errors?.form.length ? <Banner title="Not added">{errors.form.join("; ")}</Banner> : null}
      <div className="grid gap-4 md:grid-cols-3">
        <label className={LABEL}>
          <span className="block">Rule</span>
          <select aria-label="Rule" className={`${INPUT} w-full`} value={ruleId} onChange={(e) => setRuleId(e.target.value)}>
            <option value="">any rule</option>
            {rules.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          <FieldError id="silence-rule-error" error={err("ruleId")} />
        </label>
        <label className={LABEL}>
          <span className="block">Key hash</span>
          <input aria-label="Key hash" className={`${INPUT} w-full font-mono`} value={keyHash} onChange={(e) => setKeyHash(e.target.value)} placeholder="any key (or 64 hex characters)" aria-invalid={!!err("keyHash")} />
          <FieldError id="silence-key-error" error={err("keyHash")} />
        </label>
        <label className={LABEL}>
          <span className="block">Team</span>
          <input aria-label="Team" className={`${INPUT} w-full`} value={teamId} onChange={(e) => setTeamId(e.target.value)} placeholder="any team" aria-invalid={!!err("teamId")} />
          <FieldError id="silence-team-error" error={err("teamId")} />
        </label>
      </div>
      <div className="flex flex-wrap items-end gap-4">
        <div className={LABEL}>
          <label htmlFor="silence-minutes" className="block">
            For (minutes)
          </label>
          <div className="flex items-center gap-2">
            <input id="silence-minutes" className={`${INPUT} w-24 tabular-nums`} inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} aria-invalid={!!err("minutes")} />
            {SILENCE_PRESETS.map((p) => (
              <button key={p.label} type="button" aria-pressed={Number(minutes) === p.minutes} className={`${BUTTON} aria-pressed:border-sky-500 aria-pressed:text-sky-700 dark:aria-pressed:text-sky-300`} onClick={() => setMinutes(String(p.minutes))}>
                {p.label}
              </button>
            ))}
          </div>
          <FieldError id="silence-minutes-error" error={err("minutes")} />
        </div>
        <label className={`${LABEL} min-w-72 flex-1`}>
          <span className="block">Why (the next person on call reads it)</span>
          <input aria-label="Comment" required className={`${INPUT} w-full`} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="e.g. provider maintenance, limit raised tomorrow" aria-invalid={!!err("comment")} />
          <FieldError id="silence-comment-error" error={err("comment")} />
        </label>
        <button type="submit" className={PRIMARY} disabled={save.isPending}>
          Silence
        </button>
      </div>
    </form>
  );
}
