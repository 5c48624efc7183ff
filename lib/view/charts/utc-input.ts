// The custom range form reads and shows UTC as text, in the same "2026-11-25 14:05:30" form as
// every time on the page (a datetime-local input would show the browser's locale and zone rules).

/** Epoch ms → "2026-11-25 14:05:30" (UTC). */
export function toUtcInput(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

/** "2026-11-25 14:05", with seconds, or with a "T" as in ISO, read as UTC → epoch ms; null when invalid. */
export function fromUtcInput(value: string): number | null {
  const v = value.trim().replace(/\s*UTC$/i, "");
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) return null;
  const ms = Date.parse(`${v.replace(" ", "T")}Z`);
  return Number.isFinite(ms) ? ms : null;
}
