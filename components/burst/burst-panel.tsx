"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useNow } from "@/components/shell/use-now";
import { BUTTON } from "@/components/ui/controls";
import { KeyBurstsViewSchema } from "@/lib/api/bursts";
import { fetchJson } from "@/lib/view/fetch-json";
import { BurstForm } from "./burst-form";
import { BurstRunsTable } from "./burst-runs-table";

/** How many of the key's runs the key page lists (the API keeps 50). */
const SHOWN = 5;

/**
 * The key page's burst tests: the newest runs with their verdicts, and for admins the form that
 * starts one (polled while a run is going, so its row moves on its own).
 */
export function BurstPanel({ hash }: { hash: string }) {
  const now = useNow(10_000);
  const [open, setOpen] = useState(false);
  const [all, setAll] = useState(false);
  const view = useQuery({
    queryKey: ["key-bursts", hash],
    queryFn: ({ signal }) => fetchJson(`/api/keys/${hash}/bursts`, KeyBurstsViewSchema, { signal }),
    refetchInterval: (q) => (q.state.data?.runs.some((r) => r.state === "running") ? 2_000 : 30_000),
  });
  const data = view.data;
  const runs = data?.runs ?? [];
  return (
    <section aria-labelledby="burst-title" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <div>
          <h2 id="burst-title" className="text-base font-semibold">
            Burst tests
          </h2>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            Fire many zero-cost requests at once and see whether max_parallel_requests holds, with the evidence.
          </p>
        </div>
        {data && !data.startBlockedBy && !open ? (
          <button type="button" className={BUTTON} onClick={() => setOpen(true)}>
            Run a burst test
          </button>
        ) : null}
      </div>
      {view.error ? <p className="text-sm text-rose-700 dark:text-rose-300">{view.error.message}</p> : null}
      {data?.startBlockedBy && data.startBlockedBy !== "Only admins run burst tests." ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">{data.startBlockedBy}</p>
      ) : null}
      {open && data && data.limit !== null ? (
        <div className="rounded-md border border-zinc-200 p-4 dark:border-zinc-800">
          <BurstForm hash={hash} limit={data.limit} teamId={data.teamId} defaultN={data.defaultN} onClose={() => setOpen(false)} />
        </div>
      ) : null}
      {runs.length ? (
        <>
          <BurstRunsTable runs={all ? runs : runs.slice(0, SHOWN)} now={now} />
          {runs.length > SHOWN ? (
            <button type="button" className={BUTTON} onClick={() => setAll(!all)}>
              {all ? `Show the newest ${SHOWN}` : `Show all ${runs.length} runs`}
            </button>
          ) : null}
        </>
      ) : data ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No burst test has run on this key yet.</p>
      ) : null}
    </section>
  );
}
