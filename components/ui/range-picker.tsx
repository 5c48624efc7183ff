"use client";

import { PRESET_LABELS, RANGE_PRESETS, type RangePreset, type RangeState } from "@/lib/view/range";

/** Preset range buttons (a radio group); the active one is pressed. */
export function RangePicker({ value, onChange }: { value: RangeState; onChange: (preset: RangePreset) => void }) {
  return (
    <div role="radiogroup" aria-label="Time range" className="inline-flex rounded-lg border border-zinc-200 bg-white p-0.5 dark:border-zinc-700 dark:bg-zinc-900">
      {RANGE_PRESETS.map((p) => {
        const active = value.kind === "preset" && value.preset === p;
        return (
          <button
            key={p}
            type="button"
            role="radio"
            aria-checked={active}
            title={`Last ${PRESET_LABELS[p]}`}
            onClick={() => onChange(p)}
            className={`rounded-md px-2.5 py-1 text-xs font-medium tabular-nums focus-visible:outline-2 focus-visible:outline-sky-500 ${
              active
                ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
            }`}
          >
            {p}
          </button>
        );
      })}
    </div>
  );
}
