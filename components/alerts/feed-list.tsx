"use client";

import Link from "next/link";
import type { Feed } from "@/lib/api/alerts";
import { alertHref } from "@/lib/view/alerts/list-state";
import { phaseLabel, summaryBody } from "@/lib/view/alerts/alert-view";
import { shortHash } from "@/lib/view/format/keys";
import { ago, utcStamp } from "@/lib/view/format/time";
import { useNow } from "@/components/shell/use-now";

type Item = Feed["items"][number];

const DOT: Record<Item["notification"]["phase"], string> = {
  firing: "bg-rose-500",
  repeat: "bg-rose-500",
  resolved: "bg-emerald-500",
  past: "bg-zinc-400",
};

/** The bell's notifications, newest first; the first `unread` are new since the feed was last opened. */
export function FeedList({ items, unread, onPick }: { items: Item[]; unread: number; onPick: () => void }) {
  const now = useNow(15_000);
  if (items.length === 0) {
    return (
      <p className="px-4 py-6 text-center text-sm text-zinc-500 dark:text-zinc-400">
        No notifications yet. Alerts of the keys you can see appear here when they fire and when they resolve.
      </p>
    );
  }
  return (
    <ul className="max-h-[28rem] divide-y divide-zinc-100 overflow-y-auto dark:divide-zinc-800" aria-label="Notifications">
      {items.map((item, i) => {
        const n = item.notification;
        const isTest = (n as { test?: unknown }).test === true;
        const body = (
          <>
            <span className="flex items-center gap-2">
              <span className={`h-2 w-2 shrink-0 rounded-full ${DOT[n.phase]}`} aria-hidden />
              <span className="font-medium text-zinc-900 dark:text-zinc-100">{isTest ? "Test notification" : phaseLabel(n.detector, n.phase)}</span>
              <span className="ml-auto shrink-0 text-xs text-zinc-500 dark:text-zinc-400" title={utcStamp(item.createdAtMs)}>
                {ago(item.createdAtMs, now)}
              </span>
            </span>
            <span className="mt-0.5 block pl-4 text-xs font-medium text-zinc-700 dark:text-zinc-300">
              {isTest ? "from a channel's Test button" : `${n.keyAlias ?? "key"} · ${shortHash(n.keyHash)}`}
            </span>
            <span className="mt-0.5 line-clamp-2 block pl-4 text-xs text-zinc-500 dark:text-zinc-400">{summaryBody(n.summary)}</span>
          </>
        );
        const tone = i < unread ? "bg-sky-50/70 dark:bg-sky-950/30" : "";
        return (
          <li key={item.id} data-testid="feed-item" data-unread={i < unread}>
            {isTest ? (
              <div className={`px-4 py-2.5 text-sm ${tone}`}>{body}</div>
            ) : (
              <Link
                href={alertHref(item.alertId)}
                onClick={onPick}
                className={`block px-4 py-2.5 text-sm hover:bg-zinc-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-500 dark:hover:bg-zinc-800/60 ${tone}`}
              >
                {body}
              </Link>
            )}
          </li>
        );
      })}
    </ul>
  );
}
