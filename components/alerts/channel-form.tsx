"use client";

import { useState } from "react";
import { EDITABLE_CHANNEL_TYPES, type ChannelView } from "@/lib/api/alerts";
import { CHANNEL_TYPE_LABELS, CONFIG_FIELDS, type EditableType } from "@/lib/view/alerts/channels";
import { newWebhookSecret } from "@/lib/view/alerts/webhook-secret";
import { formErrors } from "@/lib/view/form-errors";
import { BUTTON, INPUT, LABEL } from "@/components/ui/controls";
import { EditForm } from "./edit-form";
import { FieldError } from "./field-error";
import { useAlertWrite } from "./queries";

/**
 * Adds a channel, or edits one made here. Secrets are never prefilled (the browser only ever gets
 * them redacted): on an edit, a field left empty keeps its stored value.
 */
export function ChannelForm({ channel, allowedHosts, onDone }: { channel: ChannelView | null; allowedHosts: string[]; onDone: () => void }) {
  const [type, setType] = useState<EditableType>(channel && channel.type !== "in-app" ? channel.type : "webhook");
  const [name, setName] = useState(channel?.name ?? "");
  const [team, setTeam] = useState(channel?.teamId ?? "");
  const [config, setConfig] = useState<Record<string, string>>({});
  const [generated, setGenerated] = useState<string | null>(null);
  const save = useAlertWrite();
  const fields = CONFIG_FIELDS[type];
  const errors = save.error ? formErrors(save.error.message, ["name", "teamId", ...fields.map((f) => f.name)]) : null;
  const err = (f: string) => errors?.byField[f];

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const given = Object.fromEntries(Object.entries(config).filter(([, v]) => v.trim() !== "").map(([k, v]) => [k, v.trim()]));
    const body = channel
      ? { name, teamId: team.trim() || null, ...(Object.keys(given).length ? { config: given } : {}) }
      : { name, type, teamId: team.trim() || null, config: given };
    save.mutate({ url: channel ? `/api/alerts/channels/${encodeURIComponent(channel.id)}` : "/api/alerts/channels", method: channel ? "PATCH" : "POST", body }, { onSuccess: onDone });
  }

  return (
    <EditForm
      label={channel ? `Edit channel ${channel.name}` : "Add a channel"}
      title={channel ? `Edit “${channel.name}”` : "Add a channel"}
      errors={errors?.form}
      onSubmit={submit}
      onCancel={onDone}
      submitLabel={channel ? "Save channel" : "Add channel"}
      busy={save.isPending}
    >
      <div className="grid gap-4 md:grid-cols-3">
        <label className={LABEL}>
          <span className="block">Name</span>
          <input aria-label="Name" className={`${INPUT} w-full`} value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!err("name")} placeholder="e.g. On-call webhook" />
          <FieldError id="channel-name-error" error={err("name")} />
        </label>
        <label className={LABEL}>
          <span className="block">Type</span>
          <select aria-label="Type" className={`${INPUT} w-full`} value={type} disabled={!!channel} onChange={(e) => (setType(e.target.value as EditableType), setConfig({}), setGenerated(null))}>
            {EDITABLE_CHANNEL_TYPES.map((t) => (
              <option key={t} value={t}>
                {CHANNEL_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <label className={LABEL}>
          <span className="block">Team (empty: every alert)</span>
          <input aria-label="Team" className={`${INPUT} w-full`} value={team} onChange={(e) => setTeam(e.target.value)} aria-invalid={!!err("teamId")} placeholder="only alerts of this team's keys" />
          <FieldError id="channel-team-error" error={err("teamId")} />
        </label>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        {fields.map((f) => {
          const stored = channel?.config[f.name];
          return (
            <label key={f.name} className={LABEL}>
              <span className="block">
                {f.label}
                {f.optional ? <span className="font-normal text-zinc-400"> (optional)</span> : null}
              </span>
              <span className="flex gap-2">
                <input
                  aria-label={f.label}
                  className={`${INPUT} w-full font-mono`}
                  value={config[f.name] ?? ""}
                  onChange={(e) => setConfig({ ...config, [f.name]: e.target.value })}
                  placeholder={channel ? `${stored ?? "not set"} (empty: keep)` : f.placeholder}
                  autoComplete="off"
                  spellCheck={false}
                  aria-invalid={!!err(f.name)}
                />
                {f.generate ? (
                  <button
                    type="button"
                    className={BUTTON}
                    onClick={() => {
                      const s = newWebhookSecret();
                      setConfig({ ...config, [f.name]: s });
                      setGenerated(s);
                    }}
                  >
                    Generate
                  </button>
                ) : null}
              </span>
              <FieldError id={`channel-${f.name}-error`} error={err(f.name)} />
              {f.generate && generated && config[f.name] === generated ? (
                <span className="block font-normal text-amber-800 dark:text-amber-200">Give this secret to the receiver now: once saved, Inflight shows only its last four characters.</span>
              ) : null}
            </label>
          );
        })}
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Targets on loopback or private addresses are refused unless their host is in ALERT_ALLOWED_HOSTS
        {allowedHosts.length ? ` (now: ${allowedHosts.join(", ")})` : " (now empty)"}.
      </p>
    </EditForm>
  );
}
