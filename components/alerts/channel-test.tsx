"use client";

import { useMutation } from "@tanstack/react-query";
import { SendResultSchema } from "@/lib/api/alerts";
import { sendJson } from "@/lib/view/fetch-json";
import { formatDuration } from "@/lib/view/format/duration";
import { BUTTON } from "@/components/ui/controls";

/** Sends the channel's test message now and says, beside the button, how the receiver took it. */
export function ChannelTest({ channelId, name }: { channelId: string; name: string }) {
  const test = useMutation({
    mutationFn: async () => SendResultSchema.parse(await sendJson(`/api/alerts/channels/${encodeURIComponent(channelId)}/test`, {})),
  });
  const r = test.data;
  return (
    <div className="space-y-1">
      <button type="button" className={BUTTON} disabled={test.isPending} onClick={() => test.mutate()} aria-label={`Test ${name}`}>
        {test.isPending ? "Sending…" : "Test"}
      </button>
      <p className="max-w-64 text-xs" data-testid="channel-test-result" aria-live="polite">
        {test.error ? (
          <span className="text-rose-700 dark:text-rose-300">{test.error.message}</span>
        ) : r ? (
          r.ok ? (
            <span className="whitespace-nowrap text-emerald-700 dark:text-emerald-300">
              ✓ ok{r.status !== null ? ` · HTTP ${r.status}` : ""} · {formatDuration(r.latencyMs)}
            </span>
          ) : (
            <span className="text-rose-700 dark:text-rose-300">
              ✗ {r.status !== null ? `HTTP ${r.status} · ` : ""}
              {formatDuration(r.latencyMs)}
              {r.error ? `: ${r.error}` : ""}
            </span>
          )
        ) : null}
      </p>
    </div>
  );
}
