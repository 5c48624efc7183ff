// The class names of form controls on the settings pages, in one place so every form looks alike
// in both themes.

export const INPUT =
  "h-9 rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-sm placeholder:text-zinc-400 focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/30 aria-[invalid=true]:border-rose-400 disabled:bg-zinc-100 disabled:text-zinc-500 dark:border-zinc-700 dark:bg-zinc-950 dark:placeholder:text-zinc-500 dark:disabled:bg-zinc-900";

/** A compact secondary action in a table row. */
export const BUTTON =
  "inline-flex items-center gap-1 whitespace-nowrap rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-sky-500 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800";

/** BUTTON for what removes or ends something. */
export const DANGER_BUTTON = `${BUTTON} text-rose-700 dark:text-rose-300`;

/** A form's main action. */
export const PRIMARY =
  "rounded-md bg-sky-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-sky-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50";

/** A form's way out (cancel). */
export const QUIET = "rounded-md px-3 py-1.5 text-sm font-medium text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800";

/** A label above its control. */
export const LABEL = "space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400";

export const LINK = "font-medium text-sky-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-300";
