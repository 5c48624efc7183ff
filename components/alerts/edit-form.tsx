import type { FormEvent, ReactNode } from "react";
import { Banner } from "@/components/ui/banner";
import { PRIMARY, QUIET } from "@/components/ui/controls";

interface Props {
  label: string;
  title: string;
  /** What the server refused that no field owns. */
  errors: string[] | undefined;
  onSubmit: (e: FormEvent) => void;
  onCancel: () => void;
  submitLabel: string;
  busy: boolean;
  /** Beside the buttons, on the left (a switch that goes with the save). */
  aside?: ReactNode;
  children: ReactNode;
}

/** The add/edit form of a settings section: tinted, titled, the form's own errors on top, Cancel and the save at the bottom. */
export function EditForm({ label, title, errors, onSubmit, onCancel, submitLabel, busy, aside, children }: Props) {
  return (
    <form onSubmit={onSubmit} aria-label={label} className="space-y-4 rounded-md border border-sky-200 bg-sky-50/40 p-4 dark:border-sky-900 dark:bg-sky-950/20">
      <p className="text-sm font-semibold">{title}</p>
      {errors?.length ? <Banner title="Not saved">{errors.join("; ")}</Banner> : null}
      {children}
      <div className="flex items-center justify-end gap-3">
        {aside ? <div className="mr-auto">{aside}</div> : null}
        <button type="button" className={QUIET} onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className={PRIMARY} disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
