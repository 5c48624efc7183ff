// Small helpers the figures share: order statistics and how numbers are printed.
import { percentile as quantile } from "../lib/stats/percentile";

/** As lib/stats/percentile.ts, NaN when there are no values (a figure that could not be measured). */
export function percentile(xs: number[], p: number): number {
  return quantile(xs, p) ?? NaN;
}

export function median(xs: number[]): number {
  return percentile(xs, 0.5);
}

export function ms(t: number): string {
  return t >= 10_000 ? `${(t / 1000).toFixed(1)} s` : t >= 100 ? `${Math.round(t)} ms` : `${t.toFixed(1)} ms`;
}

export function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

export function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(0)} MB`;
}

/**
 * The p95 of each round of timings, and the best of them: other work on this 2-core machine lands
 * in some rounds, not all, and the figure is what the code costs, not what the neighbours do.
 */
export function bestP95(rounds: number[][]): { value: number; rounds: number[] } {
  const p95s = rounds.map((r) => percentile(r, 0.95));
  return { value: Math.min(...p95s), rounds: p95s };
}
