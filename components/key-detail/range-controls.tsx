"use client";

import { useState, type FormEvent } from "react";
import { RangePicker } from "@/components/ui/range-picker";
import { customRange, zoomOut } from "@/lib/view/charts/range-edit";
import { toUtcInput } from "@/lib/view/charts/utc-input";
import type { RangeState } from "@/lib/view/range";
import { utcStamp } from "@/lib/view/format/time";
import { SmallButton } from "./small-button";

interface Props {
  range: RangeState;
  /** The range the chart shows now (a live preset moves with the present). */
  shown: { fromMs: number; toMs: number } | null;
  onChange: (r: RangeState) => void;
}

const PLACEHOLDER = "YYYY-MM-DD HH:MM:SS";

/** Presets, a custom UTC range, and following the present (live) or not. */
export function RangeControls({ range, shown, onChange }: Props) {
  return (
    <div className="flex flex-wrap items-center gap-3">
      <RangePicker value={range} onChange={(preset) => onChange({ kind: "preset", preset, live: true, at: null })} />
      <CustomRangeForm
        // A new range (a preset, a zoom, a pasted link) drops what was typed.
        key={range.kind === "custom" ? `${range.fromMs}-${range.toMs}` : range.preset}
        shown={shown}
        onApply={onChange}
      />
      <LiveControl range={range} shown={shown} onChange={onChange} />
    </div>
  );
}

function CustomRangeForm({ shown, onApply }: { shown: Props["shown"]; onApply: (r: RangeState) => void }) {
  // The inputs follow the shown range (a live one moves) until the operator edits them.
  const [draft, setDraft] = useState<{ from: string; to: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const from = draft?.from ?? (shown ? toUtcInput(shown.fromMs) : "");
  const to = draft?.to ?? (shown ? toUtcInput(shown.toMs) : "");

  function submit(e: FormEvent) {
    e.preventDefault();
    const r = customRange(from, to);
    if ("error" in r) return setError(r.error);
    setError(null);
    setDraft(null);
    onApply(r.range);
  }

  const input =
    "rounded-md border border-zinc-200 bg-white px-2 py-1 text-xs tabular-nums text-zinc-800 focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";
  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-1.5 text-xs" aria-label="Custom range (UTC)">
      <label className="flex items-center gap-1 text-zinc-500 dark:text-zinc-400">
        From
        <input type="text" value={from} onChange={(e) => setDraft({ from: e.target.value, to })} className={input} aria-label="From (UTC)" placeholder={PLACEHOLDER} size={19} spellCheck={false} />
      </label>
      <label className="flex items-center gap-1 text-zinc-500 dark:text-zinc-400">
        to
        <input type="text" value={to} onChange={(e) => setDraft({ from, to: e.target.value })} className={input} aria-label="To (UTC)" placeholder={PLACEHOLDER} size={19} spellCheck={false} />
      </label>
      <span className="text-zinc-500 dark:text-zinc-400">UTC</span>
      <button
        type="submit"
        className="rounded-md bg-zinc-900 px-2.5 py-1 font-medium text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
      >
        Apply
      </button>
      {error ? (
        <span role="alert" className="text-rose-700 dark:text-rose-300">
          {error}
        </span>
      ) : null}
    </form>
  );
}

function LiveControl({ range, shown, onChange }: Props) {
  if (range.kind === "preset" && range.live) {
    return (
      <span className="ml-auto inline-flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-300" data-testid="live-state">
        <span className="relative flex h-2 w-2" aria-hidden>
          <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-emerald-400 opacity-60" />
          <span className="relative inline-flex h-2 w-2 rounded-full bg-emerald-500" />
        </span>
        Live
        <SmallButton onClick={() => onChange({ ...range, live: false, at: shown?.toMs ?? Date.now() })} label="Pause: stop following the present">
          Pause
        </SmallButton>
      </span>
    );
  }
  if (range.kind === "preset") {
    return (
      <span className="ml-auto inline-flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-300" data-testid="live-state">
        Paused at {range.at === null ? "?" : utcStamp(range.at)}
        <SmallButton onClick={() => onChange({ ...range, live: true, at: null })} label="Resume following the present">
          Resume live
        </SmallButton>
      </span>
    );
  }
  return (
    <span className="ml-auto inline-flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-300" data-testid="live-state">
      Custom range
      <SmallButton onClick={() => onChange(zoomOut(range.fromMs, range.toMs, Date.now()))} label="Zoom out: twice the span">
        Zoom out
      </SmallButton>
    </span>
  );
}
