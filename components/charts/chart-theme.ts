// Chart colours as CSS variables, so one SVG follows the page's light/dark class without re-rendering.
// The legend uses the same variables, so a swatch always matches its series.

import type { Detector } from "@/lib/alerts/types";

export const CHART_THEME = [
  "[--chart-truth:#0369a1] dark:[--chart-truth:#38bdf8]",
  "[--chart-belief:#7c3aed] dark:[--chart-belief:#c4b5fd]",
  // Live truth is green, as the overview's live dot.
  "[--chart-live:#059669] dark:[--chart-live:#34d399]",
  "[--chart-limit:#e11d48] dark:[--chart-limit:#fb7185]",
  "[--chart-rejected:#d97706] dark:[--chart-rejected:#fbbf24]",
  "[--chart-rejected-rpm:#0d9488] dark:[--chart-rejected-rpm:#2dd4bf]",
  "[--chart-rejected-tpm:#65a30d] dark:[--chart-rejected-tpm:#a3e635]",
  "[--chart-rejected-other:#78716c] dark:[--chart-rejected-other:#a8a29e]",
  "[--chart-selected:#0ea5e9] dark:[--chart-selected:#7dd3fc]",
  "[--chart-provisional:#e4e4e7] dark:[--chart-provisional:#3f3f46]",
  "[--chart-grid:#e4e4e7] dark:[--chart-grid:#27272a]",
  "[--chart-axis:#71717a] dark:[--chart-axis:#a1a1aa]",
  "[--chart-bg:#ffffff] dark:[--chart-bg:#18181b]",
  // Alerts by detector: hues the series above do not use (stuck is fuchsia, as the key's "stuck" status).
  "[--chart-alert-exceeded:#4338ca] dark:[--chart-alert-exceeded:#a5b4fc]",
  "[--chart-alert-multiplied:#27272a] dark:[--chart-alert-multiplied:#e4e4e7]",
  "[--chart-alert-stuck:#a21caf] dark:[--chart-alert-stuck:#e879f9]",
  "[--chart-alert-drift:#047857] dark:[--chart-alert-drift:#6ee7b7]",
].join(" ");

export const CHART_COLORS = {
  truth: "var(--chart-truth)",
  belief: "var(--chart-belief)",
  live: "var(--chart-live)",
  limit: "var(--chart-limit)",
  /** 429s by limit (lib/view/charts/rejection-kinds.ts), keyed by their field: max_parallel_requests, rpm, tpm, other. */
  rejected: "var(--chart-rejected)",
  rejectedRpm: "var(--chart-rejected-rpm)",
  rejectedTpm: "var(--chart-rejected-tpm)",
  rejectedOther: "var(--chart-rejected-other)",
  selected: "var(--chart-selected)",
  provisional: "var(--chart-provisional)",
  grid: "var(--chart-grid)",
  axis: "var(--chart-axis)",
  /** The card behind the chart: a halo of it keeps labels legible over series. */
  background: "var(--chart-bg)",
} as const;

/** An alert's span on the chart, by detector (its marks, the legend and the list under the chart). */
export const ALERT_COLORS: Record<Detector, string> = {
  exceeded: "var(--chart-alert-exceeded)",
  multiplied: "var(--chart-alert-multiplied)",
  stuck: "var(--chart-alert-stuck)",
  drift: "var(--chart-alert-drift)",
};

export const CHART_HEIGHT = 360;
