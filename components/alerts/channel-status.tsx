import type { ChannelView } from "@/lib/api/alerts";
import { channelStatus } from "@/lib/view/alerts/channels";

const DOT = { ok: "bg-emerald-500", warn: "bg-amber-500", bad: "bg-rose-500", off: "bg-zinc-400" } as const;

/** Whether the channel delivers: ok, failing N in a row (retries go on), paused (with its last error), or disabled. */
export function ChannelStatusText({ channel }: { channel: ChannelView }) {
  const s = channelStatus(channel);
  return (
    <div data-testid="channel-status" data-tone={s.tone}>
      <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
        <span className={`h-2 w-2 rounded-full ${DOT[s.tone]}`} aria-hidden />
        {s.text}
      </span>
      {s.detail ? <span className="mt-0.5 block max-w-64 text-xs text-rose-700 dark:text-rose-300">{s.detail}</span> : null}
    </div>
  );
}
