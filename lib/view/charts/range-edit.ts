import { PRESET_MS, type RangeState } from "../range";
import { fromUtcInput } from "./utc-input";

/** The API reads at most 31 days; the page offers up to its longest preset. */
export const MAX_SPAN_MS = PRESET_MS["30d"];

/** The custom range two UTC datetime-local values name, or why they do not. Pure. */
export function customRange(from: string, to: string): { range: RangeState } | { error: string } {
  const f = fromUtcInput(from);
  const t = fromUtcInput(to);
  if (f === null || t === null) return { error: "Enter both times" };
  if (t <= f) return { error: "“To” must be after “from”" };
  if (t - f > MAX_SPAN_MS) return { error: "At most 30 days" };
  return { range: { kind: "custom", fromMs: f, toMs: t } };
}

/** Twice the span around the same middle, never past now nor longer than the page reads. Pure. */
export function zoomOut(fromMs: number, toMs: number, nowMs: number): RangeState {
  const span = Math.min(MAX_SPAN_MS, (toMs - fromMs) * 2);
  const to = Math.min(nowMs, Math.round((fromMs + toMs) / 2 + span / 2));
  return { kind: "custom", fromMs: to - span, toMs: to };
}
