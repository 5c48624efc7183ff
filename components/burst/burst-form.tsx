"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Banner } from "@/components/ui/banner";
import { INPUT, LABEL, PRIMARY, QUIET } from "@/components/ui/controls";
import { BurstStartSchema, MAX_BURST_REQUESTS } from "@/lib/api/bursts";
import { sendJson } from "@/lib/view/fetch-json";

interface Props {
  hash: string;
  limit: number;
  teamId: string | null;
  defaultN: number | null;
  onClose(): void;
}

const number = (text: string) => (text.trim() === "" ? undefined : Number(text));

/**
 * Starts a burst test on the key: a temporary twin (default) or the key itself, with what each
 * costs the key's live traffic said before anything is sent. Checked by the schema the route uses.
 */
export function BurstForm({ hash, limit, teamId, defaultN, onClose }: Props) {
  const router = useRouter();
  const [target, setTarget] = useState<"twin" | "key">("twin");
  const [twinInTeam, setTwinInTeam] = useState(false);
  const [rawKey, setRawKey] = useState("");
  const [consent, setConsent] = useState(false);
  const [n, setN] = useState("");
  const [hold, setHold] = useState("3");
  const [rounds, setRounds] = useState("1");
  const [model, setModel] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function start(e: React.FormEvent) {
    e.preventDefault();
    const parsed = BurstStartSchema.safeParse({
      n: number(n),
      holdS: number(hold),
      rounds: number(rounds),
      model: model.trim() || undefined,
      target,
      ...(target === "key" ? { rawKey: rawKey.trim(), allowMockMetadata: consent } : { twinInTeam }),
    });
    if (!parsed.success) return setProblem(parsed.error.issues.map((i) => i.message).join("; "));
    setProblem(null);
    setBusy(true);
    try {
      const { id } = await sendJson<{ id: string }>(`/api/keys/${hash}/bursts`, parsed.data);
      setRawKey("");
      router.push(`/bursts/${id}`);
    } catch (err) {
      setProblem((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={start} className="space-y-4" noValidate aria-label="Start a burst test">
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Fire the requests at</legend>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="target" value="twin" checked={target === "twin"} onChange={() => setTarget("twin")} className="mt-1" />
          <span>
            <span className="font-medium">A temporary twin key</span> (recommended): created with this key&apos;s limits and models, allowed to send mock
            answers, deleted when the test ends (it expires within 10 minutes should that fail).
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="target" value="key" checked={target === "key"} onChange={() => setTarget("key")} className="mt-1" />
          <span>
            <span className="font-medium">The key itself</span>: its own limiter state, as its traffic meets it.
          </span>
        </label>
      </fieldset>

      {target === "twin" && teamId ? (
        <div className="space-y-2">
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" checked={twinInTeam} onChange={(e) => setTwinInTeam(e.target.checked)} className="mt-1" />
            <span>
              Create the twin in team <span className="font-mono">{teamId}</span> (tests the team&apos;s limits too)
            </span>
          </label>
          {twinInTeam ? (
            <Banner tone="warning" title="The twin spends the team's limits">
              Its requests count against team {teamId}&apos;s RPM and TPM and its parallel limit, so the team&apos;s live traffic can get 429s while the test
              runs.
            </Banner>
          ) : (
            <p className="text-xs text-zinc-500 dark:text-zinc-400">Left out of the team, the twin cannot push the team&apos;s live traffic into 429s.</p>
          )}
        </div>
      ) : null}

      {target === "key" ? (
        <div className="space-y-3">
          <Banner tone="warning" title="Live traffic on this key will see 429s">
            While the test holds its {limit} slots, the key&apos;s own requests are refused; and every 429 still counts against the key&apos;s RPM on LiteLLM
            (LiteLLM #39309).
          </Banner>
          <label className={`${LABEL} block`}>
            <span>The key&apos;s secret (sk-…): held in memory for this run only, never stored or logged</span>
            <input
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={rawKey}
              onChange={(e) => setRawKey(e.target.value)}
              placeholder="sk-…"
              className={`${INPUT} block w-full font-mono`}
              name="rawKey"
            />
          </label>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} className="mt-1" name="allowMockMetadata" />
            <span>
              Let Inflight set <span className="font-mono">allow_client_mock_response: true</span> in this key&apos;s metadata for the run, so the requests cost
              nothing; the metadata is put back exactly afterwards (also after a crash). Without it, the key or its team must already allow mock answers.
            </span>
          </label>
        </div>
      ) : null}

      <div className="grid gap-3 sm:grid-cols-4">
        <label className={LABEL}>
          <span>Requests at once</span>
          <input inputMode="numeric" value={n} onChange={(e) => setN(e.target.value)} placeholder={defaultN ? String(defaultN) : ""} className={`${INPUT} block w-full`} name="n" />
          <span className="block font-normal text-zinc-500">
            Limit {limit}; empty: {defaultN ?? "a few times the limit"} (at most {MAX_BURST_REQUESTS})
          </span>
        </label>
        <label className={LABEL}>
          <span>Each holds (seconds)</span>
          <input inputMode="decimal" value={hold} onChange={(e) => setHold(e.target.value)} className={`${INPUT} block w-full`} name="holdS" />
          <span className="block font-normal text-zinc-500">via mock_delay</span>
        </label>
        <label className={LABEL}>
          <span>Rounds</span>
          <input inputMode="numeric" value={rounds} onChange={(e) => setRounds(e.target.value)} className={`${INPUT} block w-full`} name="rounds" />
          <span className="block font-normal text-zinc-500">Over 2+ rounds, spread across a limiter window roll (LiteLLM #16011)</span>
        </label>
        <label className={LABEL}>
          <span>Model</span>
          <input value={model} onChange={(e) => setModel(e.target.value)} placeholder="the key's first" className={`${INPUT} block w-full`} name="model" />
        </label>
      </div>

      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Zero cost is checked first: one probe with a random mock answer and max_tokens 1. Unless the proxy answers it exactly, nothing more is sent.
      </p>
      {problem ? (
        <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">
          {problem}
        </p>
      ) : null}
      <div className="flex gap-2">
        <button type="submit" className={PRIMARY} disabled={busy || (target === "key" && !rawKey.trim())}>
          {busy ? "Starting…" : "Start burst test"}
        </button>
        <button type="button" className={QUIET} onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
