import { CHART_HEIGHT } from "./chart-theme";

/** The chart's footprint while its data loads: a shape, never a blank axis. */
export function ChartSkeleton({ label = "Loading concurrency" }: { label?: string }) {
  return (
    <div
      role="status"
      aria-busy="true"
      aria-label={label}
      data-testid="chart-skeleton"
      style={{ height: CHART_HEIGHT }}
      className="relative flex items-end gap-1 overflow-hidden rounded-md bg-zinc-100/60 px-12 pb-8 pt-6 dark:bg-zinc-800/40"
    >
      {SKELETON_BARS.map((h, i) => (
        <div key={i} className="flex-1 animate-pulse rounded-sm bg-zinc-200 dark:bg-zinc-700/70" style={{ height: `${h}%` }} />
      ))}
      <span className="absolute inset-0 flex items-center justify-center text-sm text-zinc-500 dark:text-zinc-400">{label}…</span>
    </div>
  );
}

const SKELETON_BARS = [18, 26, 22, 40, 35, 52, 48, 30, 24, 38, 60, 72, 55, 42, 30, 26, 34, 46, 40, 28, 20, 32, 44, 36];
