"use client";

import type { ReactNode } from "react";

/** A pair of buttons exporting one thing as CSV or JSON. */
export function ExportButtons({ what, onCsv, onJson, disabled = false }: { what: string; onCsv: () => void; onJson: () => void; disabled?: boolean }) {
  return (
    <div role="group" aria-label={`Export ${what}`} className="inline-flex items-center gap-1">
      <span className="mr-1 text-xs text-zinc-500 dark:text-zinc-400">Export {what}</span>
      <SmallButton onClick={onCsv} disabled={disabled} label={`Export ${what} as CSV`}>
        CSV
      </SmallButton>
      <SmallButton onClick={onJson} disabled={disabled} label={`Export ${what} as JSON`}>
        JSON
      </SmallButton>
    </div>
  );
}

export function SmallButton({ onClick, disabled, label, children }: { onClick: () => void; disabled?: boolean; label?: string; children: ReactNode }) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-label={label}
      title={label}
      className="rounded-md border border-zinc-200 bg-white px-2.5 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-sky-500 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
    >
      {children}
    </button>
  );
}
