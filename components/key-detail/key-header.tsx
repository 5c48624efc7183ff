import Link from "next/link";
import type { ReactNode } from "react";
import { StatusBadge } from "@/components/ui/status-badge";
import type { BeliefNow, TruthNow } from "@/lib/view/charts/key-summary";
import { utcClock } from "@/lib/view/charts/time-axis";
import { formatLimit } from "@/lib/view/format/keys";
import { ago } from "@/lib/view/format/time";
import type { KeyRefView } from "@/lib/api/keys";
import type { KeyStatus } from "@/lib/key-state/status";
import { CopyButton } from "./copy-button";

interface Props {
  keyRef: KeyRefView;
  status: KeyStatus | null;
  truth: TruthNow | null;
  belief: BeliefNow | null;
  /** Why LiteLLM's view cannot be read at all (limiter in process memory), else null. */
  beliefUnavailable: string | null;
  now: number;
}

/** Who the key is, its limits and status, and what is in flight now: Inflight's truth beside LiteLLM's belief. */
export function KeyHeader({ keyRef: k, status, truth, belief, beliefUnavailable, now }: Props) {
  const limit = k.maxParallelRequests;
  return (
    <header className="flex flex-wrap items-start justify-between gap-6">
      <div className="min-w-0 space-y-2">
        <Link href="/keys" className="rounded text-xs font-medium text-zinc-500 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-zinc-400 dark:hover:text-zinc-100">
          ← All keys
        </Link>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">{k.alias ?? <span className="italic text-zinc-400 dark:text-zinc-500">no alias</span>}</h1>
          {status ? <StatusBadge status={status} /> : null}
          {!k.inCatalog ? (
            <span className="text-xs text-amber-700 dark:text-amber-300" title="The key is no longer in LiteLLM's /key/list: deleted, or expired">
              no longer on the proxy
            </span>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <code className="break-all font-mono text-xs text-zinc-500 dark:text-zinc-400" data-testid="key-hash">
            {k.hash}
          </code>
          <CopyButton text={k.hash} label="Copy the key hash" />
        </div>
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
          <Fact term="Team">{k.teamId ?? "—"}</Fact>
          <Fact term="Max parallel">{formatLimit(limit)}</Fact>
          <Fact term="RPM">{formatLimit(k.rpmLimit)}</Fact>
          <Fact term="TPM">{formatLimit(k.tpmLimit)}</Fact>
        </dl>
      </div>
      <div className="grid grid-cols-2 gap-3" aria-label="In flight now">
        <NowCard
          testId="now-truth"
          title="Truth · Inflight"
          value={truth?.inFlight ?? null}
          limit={limit}
          detail={truth ? `at ${utcClock(truth.t)} (${ago(truth.t, now)})` : "no stored data yet"}
          help="Rebuilt from LiteLLM's spend logs at the newest second they fully cover; requests still running count once they end"
        />
        <NowCard
          testId="now-belief"
          title="Belief · LiteLLM"
          value={belief?.believed ?? null}
          limit={limit}
          detail={belief ? `sampled ${utcClock(belief.t)} (${ago(belief.t, now)})` : beliefUnavailable ? "unavailable: limiter in process memory" : "no recent sample"}
          help={beliefUnavailable ?? "What LiteLLM's limiter state in Redis says is in flight; it decides the 429s"}
        />
      </div>
    </header>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex gap-1.5">
      <dt className="text-zinc-500 dark:text-zinc-400">{term}</dt>
      <dd className="font-medium tabular-nums">{children}</dd>
    </div>
  );
}

function NowCard({ testId, title, value, limit, detail, help }: { testId: string; title: string; value: number | null; limit: number | null; detail: string; help: string }) {
  const over = value !== null && limit !== null && value > limit;
  return (
    <div data-testid={testId} title={help} className="min-w-44 rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
      <p className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{title}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums">
        <span className={over ? "text-rose-600 dark:text-rose-400" : ""}>{value ?? "—"}</span>
        {limit !== null ? <span className="text-base font-normal text-zinc-400 dark:text-zinc-500"> / {limit}</span> : null}
        <span className="ml-1 text-xs font-normal text-zinc-500 dark:text-zinc-400">in flight</span>
      </p>
      <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{detail}</p>
    </div>
  );
}
