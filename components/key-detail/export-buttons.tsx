import { SmallButton } from "./small-button";

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
