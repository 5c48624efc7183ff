import type { AlertView } from "../../api/alerts";
import type { Detector } from "../../alerts/types";

/** One alert as the key's chart shades it: its span clipped to the chart's range. */
export interface AlertMark {
  id: string;
  detector: Detector;
  state: AlertView["state"];
  announced: AlertView["announced"];
  ruleName: string;
  fromMs: number;
  /** Exclusive. */
  toMs: number;
  /** The alert's own span, unclipped (for the list under the chart). */
  startedMs: number;
  lastActiveMs: number;
}

/**
 * The alerts overlapping [fromMs, toMs), oldest first so later marks draw on top, each clipped to
 * the range. An alert whose rule was removed has no detector to colour it by and is left out.
 */
export function alertMarks(alerts: AlertView[], fromMs: number, toMs: number): AlertMark[] {
  return alerts
    .filter((a): a is AlertView & { detector: Detector } => a.detector !== null)
    .map((a) => ({ a, startedMs: a.startedSec * 1000, lastActiveMs: Math.max(a.lastActiveSec, a.startedSec + 1) * 1000 }))
    .filter(({ startedMs, lastActiveMs }) => startedMs < toMs && lastActiveMs > fromMs)
    .sort((x, y) => x.startedMs - y.startedMs)
    .map(({ a, startedMs, lastActiveMs }) => ({
      id: a.id,
      detector: a.detector,
      state: a.state,
      announced: a.announced,
      ruleName: a.ruleName,
      fromMs: Math.max(fromMs, startedMs),
      toMs: Math.min(toMs, lastActiveMs),
      startedMs,
      lastActiveMs,
    }));
}

/** The detectors the marks show, in a stable order, for the legend. */
export function markDetectors(marks: AlertMark[]): Detector[] {
  return [...new Set(marks.map((m) => m.detector))].sort();
}
