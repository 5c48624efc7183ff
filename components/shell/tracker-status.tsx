"use client";

import type { ReactNode } from "react";
import { usePopover } from "@/components/ui/use-popover";
import type { PipelineStatusView } from "@/lib/api/health";
import { formatDuration } from "@/lib/view/format/duration";
import { ago, utcStamp } from "@/lib/view/format/time";
import { Pill } from "./pill";

type Tracker = NonNullable<PipelineStatusView["tracker"]>;

const STATE_TEXT: Record<Tracker["state"], string> = {
  live: "Inflight's LiteLLM callback records every request's start and end: \"in flight now\" is live.",
  quiet: "The callback wrote nothing lately: the proxy is idle, or the callback was removed. \"In flight now\" comes from spend logs.",
  never: "No LiteLLM callback has written here. Mount integrations/litellm/inflight_tracker.py in the proxy for live counts.",
};

const count = (n: number) => n.toLocaleString("en-US");

/**
 * The header's Live pill: whether live truth comes in and since when. A click opens its panel: the
 * writers, how well the tracker agrees with spend logs request by request, lost ends, dropped
 * events, and whether the proxy logs its 429s. Amber when any of it needs a look.
 */
export function TrackerStatus({ t, now }: { t: Tracker; now: number }) {
  const { open, setOpen, ref } = usePopover();
  const concern = t.agreement?.concern ?? null;
  const detail = { live: t.since ? `since ${utcStamp(t.since).slice(11, 16)}` : "live", quiet: t.lastSeenAt ? `seen ${ago(t.lastSeenAt, now)}` : "quiet", never: "not seen" }[t.state];
  return (
    <div ref={ref} className="relative">
      <Pill
        ok
        warn={t.state === "quiet" || t.errorLogs === "missing" || concern !== null}
        // Never seen is a choice (no callback mounted), not a fault: a grey dot.
        muted={t.state === "never"}
        label="Live"
        detail={detail}
        title={`${STATE_TEXT[t.state]}${concern ? `\n${concern}` : ""}\nClick for details`}
        testId="health-tracker"
        wideOnly
        button={{ onClick: () => setOpen(!open), expanded: open }}
      />
      {open ? (
        <div
          role="dialog"
          aria-label="Live tracker"
          data-testid="tracker-panel"
          className="absolute right-0 z-30 mt-2 w-[26rem] max-w-[calc(100vw-2rem)] rounded-lg border border-zinc-200 bg-white p-4 text-sm shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <p className="font-semibold">Live tracker</p>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">{STATE_TEXT[t.state]}</p>
          {concern ? (
            <p className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">{concern}</p>
          ) : null}
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
            {t.since ? <Row label="Writers since">{utcStamp(t.since)}</Row> : null}
            {t.lastSeenAt ? <Row label="Last seen">{`${ago(t.lastSeenAt, now)} · ${utcStamp(t.lastSeenAt).slice(11)}`}</Row> : null}
            <Agreement a={t.agreement} />
            <Row label="Lost ends" hint="Requests open longer than INFLIGHT_TRACKER_MAX_AGE_S: a client that left before any chunk fires no callback. Pruned from the live count.">
              {count(t.lostEnds)}
            </Row>
            <Row label="Dropped events" hint="Events the callback could not write (its Redis unreachable), as its workers report.">
              {count(t.dropped)}
            </Row>
            <Row label="429s in spend logs" hint="Compared once a minute with the limiter rejections the callback counts.">
              {{ present: "logged", missing: "missing: the proxy runs with disable_error_logs? The callback counts them", unknown: "not known yet" }[t.errorLogs]}
            </Row>
          </dl>
        </div>
      ) : null}
    </div>
  );
}

/** Request by request, the tracker's intervals against the spend-log rows, over the last hour. */
function Agreement({ a }: { a: Tracker["agreement"] }) {
  const hint = a
    ? `Each spend-log row is paired with the tracker's interval by litellm_call_id; a pair agrees when its start and end differ by at most ${formatDuration(a.agreeMs)}. Over the last ${formatDuration(a.windowMs)}.`
    : undefined;
  if (!a || a.compared + a.unlogged + a.untracked === 0) {
    return (
      <Row label="Agreement" hint={hint}>
        <span className="text-zinc-500">nothing compared yet: spend logs trail the tracker by a flush interval</span>
      </Row>
    );
  }
  return (
    <>
      <Row label="Agreement" hint={hint}>
        <span data-testid="tracker-agreement">
          {a.rate === null ? "no pairs" : `${(a.rate * 100).toFixed(1)}% of ${count(a.compared)} requests agree within ${formatDuration(a.agreeMs)}`}
        </span>
      </Row>
      {a.startDiffP95Ms !== null && a.endDiffP95Ms !== null ? (
        <Row label="Differences (p95)">{`start ${formatDuration(a.startDiffP95Ms)} · end ${formatDuration(a.endDiffP95Ms)}`}</Row>
      ) : null}
      <Row label="One side only" hint="Tracked with no spend-log row: the proxy dropped log events. Logged but not tracked: a worker runs without the callback.">
        {`${count(a.unlogged)} tracked, not logged · ${count(a.untracked)} logged, not tracked`}
      </Row>
    </>
  );
}

function Row({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-zinc-500 dark:text-zinc-400" title={hint}>
        {label}
      </dt>
      <dd className="text-zinc-900 dark:text-zinc-100">{children}</dd>
    </>
  );
}
