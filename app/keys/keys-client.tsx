"use client";

import { KeysTable } from "@/components/keys/keys-table";
import { Banner } from "@/components/ui/banner";
import { EmptyState } from "@/components/ui/empty-state";
import { SkeletonRows } from "@/components/ui/skeleton";
import { utcStamp } from "@/lib/format/time";
import { useKeys } from "./use-keys";

export function KeysClient() {
  const keys = useKeys();

  if (keys.isPending) return <SkeletonRows label="Loading keys" />;

  return (
    <div className="space-y-4">
      {keys.isError ? (
        <Banner title="Could not read the proxy's keys">
          {keys.error.message}
          {keys.data ? ` Showing the list from ${utcStamp(keys.data.fetchedAt)}.` : null}
        </Banner>
      ) : null}
      {keys.data && keys.data.keys.length === 0 ? (
        <EmptyState title="This proxy has no virtual keys yet">
          Create one with <code className="font-mono">POST /key/generate</code> (or the LiteLLM admin UI) and it appears
          here within seconds. Set <code className="font-mono">max_parallel_requests</code> on it to have a limit to watch.
        </EmptyState>
      ) : null}
      {keys.data && keys.data.keys.length > 0 ? (
        <>
          <KeysTable keys={keys.data.keys} />
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            {keys.data.keys.length} key{keys.data.keys.length === 1 ? "" : "s"} · read from LiteLLM{" "}
            <code className="font-mono">/key/list</code> at {utcStamp(keys.data.fetchedAt)}
          </p>
        </>
      ) : null}
    </div>
  );
}
