import type { ReactNode } from "react";

/** Says why there is nothing to show and what would make something appear. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-zinc-300 px-6 py-12 text-center dark:border-zinc-700">
      <p className="font-medium text-zinc-900 dark:text-zinc-100">{title}</p>
      {children ? <div className="mx-auto mt-2 max-w-xl text-sm text-zinc-500 dark:text-zinc-400">{children}</div> : null}
    </div>
  );
}
