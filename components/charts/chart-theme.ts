// Chart colours as CSS variables, so one SVG follows the page's light/dark class without re-rendering.
// The legend uses the same variables, so a swatch always matches its series.

export const CHART_THEME = [
  "[--chart-truth:#0369a1] dark:[--chart-truth:#38bdf8]",
  "[--chart-belief:#7c3aed] dark:[--chart-belief:#c4b5fd]",
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
].join(" ");

export const CHART_COLORS = {
  truth: "var(--chart-truth)",
  belief: "var(--chart-belief)",
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

export const CHART_HEIGHT = 360;
