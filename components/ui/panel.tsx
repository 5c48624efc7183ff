import type { ReactNode } from "react";

/** A titled card of a settings page: what it is for in a line, its actions on the right. */
export function Panel({ id, title, note, actions, children }: { id: string; title: string; note?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-4 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="max-w-3xl">
          <h2 id={`${id}-title`} className="text-base font-semibold">
            {title}
          </h2>
          {note ? <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">{note}</p> : null}
        </div>
        {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}
