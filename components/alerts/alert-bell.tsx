"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { usePopover } from "@/components/ui/use-popover";
import { sendJson } from "@/lib/view/fetch-json";
import { FeedList } from "./feed-list";
import { ALERT_KEYS, useFeed } from "./queries";

/**
 * The bell in the header: how many in-app notifications are new, and the newest of them. Opening
 * it marks the feed read up to the newest item shown, so the count says what arrived since.
 */
export function AlertBell() {
  const feed = useFeed();
  const queries = useQueryClient();
  const { open, setOpen, ref } = usePopover();
  // What was new when the feed opened: those items stay highlighted while it is open, though read.
  const [newAtOpen, setNewAtOpen] = useState(0);
  const markRead = useMutation({
    mutationFn: (toId: number) => sendJson("/api/alerts/feed/read", { toId }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ALERT_KEYS.feed }),
  });

  const unread = feed.data?.unread ?? 0;
  const newest = feed.data?.items[0];

  function toggle() {
    if (!open) {
      setNewAtOpen(unread);
      if (unread > 0 && newest) markRead.mutate(newest.id);
    }
    setOpen(!open);
  }

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        onClick={toggle}
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-label={unread ? `Alerts: ${unread} new` : "Alerts: nothing new"}
        title={feed.error ? `Could not read the alert feed: ${feed.error.message}` : unread ? `${unread} new alert notification${unread === 1 ? "" : "s"}` : "Alert notifications"}
        data-testid="alert-bell"
        className="relative rounded-md p-2 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
      >
        <svg viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4" aria-hidden>
          <path
            fillRule="evenodd"
            d="M10 2a6 6 0 0 0-6 6c0 1.887-.454 3.665-1.257 5.234a.75.75 0 0 0 .515 1.076 32.91 32.91 0 0 0 3.256.508 3.5 3.5 0 0 0 6.972 0 32.903 32.903 0 0 0 3.256-.508.75.75 0 0 0 .515-1.076A11.448 11.448 0 0 1 16 8a6 6 0 0 0-6-6ZM8.05 14.943a33.54 33.54 0 0 0 3.9 0 2 2 0 0 1-3.9 0Z"
            clipRule="evenodd"
          />
        </svg>
        {unread > 0 ? (
          <span
            data-testid="alert-bell-count"
            className="absolute -right-0.5 -top-0.5 min-w-[1.125rem] rounded-full bg-rose-600 px-1 text-center text-[10px] font-semibold leading-[1.125rem] text-white ring-2 ring-white dark:ring-zinc-950"
          >
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          role="dialog"
          aria-label="Alert notifications"
          className="absolute right-0 z-30 mt-2 w-[26rem] max-w-[calc(100vw-2rem)] overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <div className="flex items-center justify-between border-b border-zinc-100 px-4 py-2.5 dark:border-zinc-800">
            <p className="text-sm font-semibold">Notifications</p>
            <Link href="/alerts" onClick={() => setOpen(false)} className="text-xs font-medium text-sky-700 hover:underline dark:text-sky-300">
              All alerts →
            </Link>
          </div>
          {feed.data ? (
            <FeedList items={feed.data.items} unread={newAtOpen} onPick={() => setOpen(false)} />
          ) : (
            <p className="px-4 py-6 text-center text-sm text-zinc-500">{feed.error ? `Could not read the feed: ${feed.error.message}` : "Loading…"}</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
