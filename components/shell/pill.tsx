import type { ReactNode } from "react";

/** The button form: the pill opens a panel. */
interface PillButton {
  onClick(): void;
  expanded: boolean;
}

/**
 * One header status: a dot (green, amber, red, or grey for a choice not made), a label and a short
 * detail; the tooltip says the rest. With `button`, a click opens the panel it controls.
 */
export function Pill({
  ok,
  warn = false,
  muted = false,
  wideOnly = false,
  label,
  detail,
  title,
  testId,
  button,
}: {
  ok: boolean;
  warn?: boolean;
  muted?: boolean;
  /** The detail only on wide screens (the tooltip always has it): the header must fit at 1280 px. */
  wideOnly?: boolean;
  label: string;
  detail: string;
  title: string;
  testId?: string;
  button?: PillButton;
}) {
  const look = `inline-flex items-center gap-1.5 whitespace-nowrap rounded-full border px-2.5 py-1 text-xs ${
    ok
      ? "border-zinc-200 text-zinc-600 dark:border-zinc-700 dark:text-zinc-300"
      : "border-rose-300 bg-rose-50 text-rose-700 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-300"
  }`;
  const inner: ReactNode = (
    <>
      <span className={`h-2 w-2 rounded-full ${!ok ? "bg-rose-500" : warn ? "bg-amber-500" : muted ? "bg-zinc-300 dark:bg-zinc-600" : "bg-emerald-500"}`} aria-hidden />
      <span className="font-medium">{label}</span>
      <span className={`text-zinc-400 dark:text-zinc-500 ${wideOnly ? "hidden min-[1400px]:inline" : ""}`}>{detail}</span>
      <span className="sr-only">{ok ? "reachable" : "unreachable"}</span>
    </>
  );
  if (button) {
    return (
      <button
        type="button"
        data-testid={testId}
        data-ok={ok}
        title={title}
        onClick={button.onClick}
        aria-expanded={button.expanded}
        aria-haspopup="dialog"
        className={`${look} hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:bg-zinc-800`}
      >
        {inner}
      </button>
    );
  }
  return (
    <span data-testid={testId} data-ok={ok} title={title} className={look}>
      {inner}
    </span>
  );
}
