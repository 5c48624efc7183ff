import { z } from "zod";

// The time range a page shows, as it lives in the URL (`?range=1h`, or `?range=custom&from=…&to=…`,
// `&live=0` to freeze a preset), so a link reproduces the view.

export const RANGE_PRESETS = ["15m", "1h", "6h", "24h", "7d", "30d"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const PRESET_MS: Record<RangePreset, number> = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "6h": 6 * 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
};

export const PRESET_LABELS: Record<RangePreset, string> = {
  "15m": "15 min",
  "1h": "1 hour",
  "6h": "6 hours",
  "24h": "24 hours",
  "7d": "7 days",
  "30d": "30 days",
};

export type RangeState =
  | { kind: "preset"; preset: RangePreset; live: boolean; /** end of a frozen preset */ at: number | null }
  | { kind: "custom"; fromMs: number; toMs: number };

const ms = z.coerce.number().int().min(0).max(8.64e15);

const UrlSchema = z.object({
  range: z.enum([...RANGE_PRESETS, "custom"]).optional(),
  from: ms.optional(),
  to: ms.optional(),
  at: ms.optional(),
  live: z.enum(["0", "1"]).optional(),
});

/** Reads a range from URL params; anything invalid falls back to the page's default preset. */
export function parseRange(params: Record<string, string | string[] | undefined>, fallback: RangePreset): RangeState {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const p = UrlSchema.safeParse(flat);
  if (!p.success) return { kind: "preset", preset: fallback, live: true, at: null };
  const { range, from, to, at, live } = p.data;
  if (range === "custom" && from !== undefined && to !== undefined && to > from) return { kind: "custom", fromMs: from, toMs: to };
  const preset = range && range !== "custom" ? range : fallback;
  const frozen = live === "0" && at !== undefined;
  return { kind: "preset", preset, live: !frozen, at: frozen ? at : null };
}

/** The URL params of a range (the inverse of parseRange). */
export function rangeParams(r: RangeState): Record<string, string> {
  if (r.kind === "custom") return { range: "custom", from: String(r.fromMs), to: String(r.toMs) };
  return r.live ? { range: r.preset } : { range: r.preset, live: "0", at: String(r.at) };
}

/** The concrete [from, to) a range covers at `nowMs`; a live preset follows the present. */
export function resolveRange(r: RangeState, nowMs: number): { fromMs: number; toMs: number; live: boolean } {
  if (r.kind === "custom") return { fromMs: r.fromMs, toMs: r.toMs, live: false };
  const toMs = r.live || r.at === null ? nowMs : r.at;
  return { fromMs: toMs - PRESET_MS[r.preset], toMs, live: r.live };
}
