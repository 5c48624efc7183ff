"use client";

import Link from "next/link";
import { useEffect, type ReactNode } from "react";
import { alertChartHref, alertSpanMs, detectorLabel } from "@/lib/view/alerts/alert-view";
import { formatDuration } from "@/lib/view/format/duration";
import { shortHash } from "@/lib/view/format/keys";
import { utcStamp } from "@/lib/view/format/time";
import { Banner } from "@/components/ui/banner";
import { BUTTON, LINK } from "@/components/ui/controls";
import { SkeletonRows } from "@/components/ui/skeleton";
import { AlertEvidence } from "./alert-evidence";
import { AlertNotifications } from "./alert-notifications";
import { AlertStateBadge } from "./alert-state-badge";
import { useAlertDetail } from "./queries";

/**
 * One alert beside the list: what happened in plain words, its evidence, and where it was told.
 * A panel beside the list, not a modal: the list stays usable, and Escape or Close puts it away.
 */
export function AlertDetail({ id, admin, now, onClose, onOnlyKey }: { id: string; admin: boolean; now: number; onClose: () => void; onOnlyKey: (hash: string) => void }) {
  const detail = useAlertDetail(id);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose]);
  const a = detail.data?.alert;

  return (
    <aside
      aria-label="Alert detail"
      data-testid="alert-detail"
      className="overflow-y-auto rounded-lg border border-zinc-200 bg-white shadow-sm lg:sticky lg:top-20 lg:max-h-[calc(100vh-6rem)] dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="sticky top-0 z-10 flex items-center gap-3 border-b border-zinc-100 bg-white/95 px-5 py-3 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/95">
        {a ? <AlertStateBadge alert={a} /> : null}
        <h2 className="text-base font-semibold">{a ? detectorLabel(a.detector) : "Alert"}</h2>
        <button type="button" onClick={onClose} className={`${BUTTON} ml-auto`} aria-label="Close the alert detail">
          Close
        </button>
      </div>
      <div className="space-y-6 px-5 py-4">
        {detail.error ? <Banner title="Could not read this alert">{detail.error.message}</Banner> : null}
        {!a || !detail.data ? (
          detail.error ? null : <SkeletonRows rows={5} label="Loading the alert" />
        ) : (
          <>
            <p className="text-sm leading-relaxed text-zinc-800 dark:text-zinc-200" data-testid="alert-summary">
              {detail.data.summary}
            </p>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
              <Fact label="Key">
                <Link href={alertChartHref(a, now)} className={LINK}>
                  {a.keyAlias ?? shortHash(a.keyHash)}
                </Link>{" "}
                <span className="font-mono text-xs text-zinc-500">{shortHash(a.keyHash, 12)}</span>
                {a.teamId ? <span className="text-xs text-zinc-500"> · team {a.teamId}</span> : null}
                <button type="button" onClick={() => onOnlyKey(a.keyHash)} className="ml-2 text-xs text-sky-700 hover:underline dark:text-sky-300">
                  only this key&apos;s alerts
                </button>
              </Fact>
              <Fact label="Rule">{a.ruleName}</Fact>
              <Fact label="From">{utcStamp(a.startedSec * 1000)}</Fact>
              <Fact label={a.state === "resolved" ? "To" : "Last seen"}>
                {utcStamp(a.lastActiveSec * 1000)} <span className="text-zinc-500">({formatDuration(alertSpanMs(a))})</span>
              </Fact>
              <Fact label="Episodes">{a.episodes}</Fact>
              {a.resolvedAtMs ? <Fact label="Resolved">{utcStamp(a.resolvedAtMs)}</Fact> : null}
            </dl>
            <Part title="Evidence">
              <AlertEvidence alert={a} />
            </Part>
            <Part title="Notifications" testId="alert-notifications">
              <AlertNotifications alert={a} notifications={detail.data.notifications} admin={admin} />
            </Part>
          </>
        )}
      </div>
    </aside>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Part({ title, testId, children }: { title: string; testId?: string; children: ReactNode }) {
  return (
    <section className="space-y-2" data-testid={testId}>
      <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{title}</h3>
      {children}
    </section>
  );
}
