import { utcStamp } from "../format/time";

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Tick spacings that land on round UTC times. */
const TICK_STEPS = [
  SEC, 2 * SEC, 5 * SEC, 10 * SEC, 15 * SEC, 30 * SEC,
  MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY,
];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Round UTC instants inside [fromMs, toMs], at most about `maxTicks` of them, and their spacing. Pure. */
export function timeTicks(fromMs: number, toMs: number, maxTicks = 8): { ticks: number[]; stepMs: number } {
  const span = Math.max(0, toMs - fromMs);
  const stepMs = TICK_STEPS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / DAY) * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(fromMs / stepMs) * stepMs; t <= toMs; t += stepMs) ticks.push(t);
  return { ticks, stepMs };
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A tick label in UTC at the precision its spacing needs: "14:05:30", "14:05", or the date
 * ("Nov 25") for day ticks and for midnight among hour ticks, so a day boundary is visible.
 */
export function formatTick(t: number, stepMs: number): string {
  const d = new Date(t);
  const date = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  if (stepMs >= DAY) return date;
  const midnight = d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0;
  if (midnight && stepMs >= HOUR) return date;
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return stepMs < MIN ? `${hm}:${pad(d.getUTCSeconds())}` : hm;
}

/** "2026-11-25 14:05:30 UTC" for a one-second bucket, "2026-11-25 14:05:30–14:05:35 UTC" for a wider one. */
export function bucketLabel(t: number, bucketMs: number): string {
  const start = utcStamp(t);
  if (bucketMs <= SEC) return start;
  const end = utcStamp(t + bucketMs);
  const sameDay = start.slice(0, 10) === end.slice(0, 10);
  return `${start.slice(0, 19)}–${sameDay ? end.slice(11, 19) : end.slice(0, 19)} UTC`;
}

/** "14:05:30 UTC" (or "14:05:30.125 UTC"): a time of day for labels where the date is evident. */
export function utcClock(t: number, withMs = false): string {
  return `${new Date(t).toISOString().slice(11, withMs ? 23 : 19)} UTC`;
}

/** "2026-11-25 14:05:30.125 UTC": an instant to the millisecond, for evidence. */
export function utcStampMs(t: number): string {
  return `${new Date(t).toISOString().replace("T", " ").slice(0, 23)} UTC`;
}
