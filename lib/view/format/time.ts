/** "just now", "12 s ago", "4 min ago", "3 h ago", "2 d ago". */
export function ago(then: Date | string | number, now: Date | number = Date.now()): string {
  const ms = toMs(now) - toMs(then);
  if (ms < 2_000) return "just now";
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** "2026-11-25 01:52:07 UTC": unambiguous for bug reports and across time zones. */
export function utcStamp(t: Date | string | number): string {
  return new Date(toMs(t)).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

function toMs(t: Date | string | number): number {
  return typeof t === "number" ? t : new Date(t).getTime();
}
