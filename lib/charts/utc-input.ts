// The custom range form shows and reads UTC, like every time on the page, while a
// datetime-local input knows no zone: these convert between its value and epoch ms.

/** Epoch ms → "2026-11-25T14:05:30" for a datetime-local input, in UTC. */
export function toUtcInput(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** A datetime-local value ("2026-11-25T14:05" or with seconds) read as UTC → epoch ms; null when invalid. */
export function fromUtcInput(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const ms = Date.parse(`${value}Z`);
  return Number.isFinite(ms) ? ms : null;
}
