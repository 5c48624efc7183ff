import type { ConcurrencyModel } from "@/lib/view/charts/concurrency-model";
import { utcStamp } from "@/lib/view/format/time";
import { formatDuration } from "@/lib/view/format/duration";
import { SmallButton } from "./small-button";

/** The range in one line (its peak, time above the limit) and a keyboard way to the peak's evidence. */
export function PeakSummary({ model, onShowPeak }: { model: ConcurrencyModel; onShowPeak: (w: { fromMs: number; toMs: number }) => void }) {
  const { peak, episodes, bucketMs } = model;
  if (!peak) return null;
  const limit = model.rows.find((r) => r.t === peak.t)?.limit ?? null;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm" data-testid="peak-summary">
      <p className="text-zinc-600 dark:text-zinc-300">
        Peak <strong className="tabular-nums text-zinc-900 dark:text-zinc-100">{peak.inFlight}</strong> in flight at {utcStamp(peak.t)}
        {limit !== null ? ` (limit ${limit})` : " (no limit set)"}
        {episodes.length > 0 ? (
          <span className="text-rose-700 dark:text-rose-300">
            {" "}
            · above the limit {episodes.length === 1 ? "once" : `${episodes.length} times`}, {formatDuration(model.aboveLimitMs)} in all
          </span>
        ) : limit !== null ? (
          " · never above the limit"
        ) : null}
      </p>
      <SmallButton onClick={() => onShowPeak({ fromMs: peak.t, toMs: peak.t + bucketMs })}>Show requests at the peak</SmallButton>
    </div>
  );
}
