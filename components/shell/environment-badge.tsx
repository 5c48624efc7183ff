/** Which Inflight this is (INFLIGHT_ENVIRONMENT: "production", "staging"), beside the name, so nobody mistakes one for another. */
export function EnvironmentBadge({ environment }: { environment: string }) {
  return (
    <span
      data-testid="environment-badge"
      title="INFLIGHT_ENVIRONMENT: notifications carry it too"
      className="rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-semibold uppercase tracking-wide text-amber-900 ring-1 ring-inset ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800"
    >
      {environment}
    </span>
  );
}
