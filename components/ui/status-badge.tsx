import { STATUS_HELP, STATUS_LABELS, type KeyStatus } from "@/lib/key-state/status";

const TONES: Record<KeyStatus, string> = {
  stuck: "bg-fuchsia-100 text-fuchsia-800 ring-fuchsia-300 dark:bg-fuchsia-950 dark:text-fuchsia-200 dark:ring-fuchsia-800",
  exceeding: "bg-rose-100 text-rose-800 ring-rose-300 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-800",
  exceeded: "bg-amber-100 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  ok: "bg-emerald-100 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800",
  "no-limit": "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700",
  "no-traffic": "bg-zinc-50 text-zinc-500 ring-zinc-200 dark:bg-zinc-900 dark:text-zinc-400 dark:ring-zinc-700",
};

/** A key's status as a labelled pill; the tooltip says what it means. */
export function StatusBadge({ status }: { status: KeyStatus }) {
  return (
    <span
      data-testid="status-badge"
      data-status={status}
      title={STATUS_HELP[status]}
      className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[status]}`}
    >
      {STATUS_LABELS[status]}
    </span>
  );
}
