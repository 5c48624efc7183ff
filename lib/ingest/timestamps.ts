// Spend-log timestamps arrive in several ISO-8601 forms depending on the proxy version
// (docs/litellm-reference.md §4.3, §9.1): "2026-08-01T00:16:31.534+00:00", "2024-01-18T18:07:54.071000Z",
// a space instead of "T", any number of fraction digits, or no offset at all (stored as UTC).

const DIGIT0 = 48;

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - DIGIT0;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** Epoch ms of an ISO-8601 date-time; a value without offset is UTC. NaN when it is not one. */
export function parseTimestampMs(s: unknown): number {
  if (typeof s !== "string" || s.length < 19) return NaN;
  const sep = s.charCodeAt(10);
  if (s[4] !== "-" || s[7] !== "-" || (sep !== 84 /* T */ && sep !== 32 /* space */) || s[13] !== ":" || s[16] !== ":") {
    return NaN;
  }
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60)) return NaN;
  let i = 19;
  let ms = 0;
  if (s[i] === "." || s[i] === ",") {
    i++;
    let scale = 100;
    const start = i;
    while (i < s.length) {
      const d = s.charCodeAt(i) - DIGIT0;
      if (d < 0 || d > 9) break;
      ms += d * scale;
      scale /= 10;
      i++;
    }
    if (i === start) return NaN;
    ms = Math.floor(ms + 1e-6);
  }
  let offsetMin = 0;
  if (i < s.length) {
    const c = s[i];
    if (c === "Z" || c === "z") {
      i++;
    } else if (c === "+" || c === "-") {
      const oh = digits(s, i + 1, 2);
      const colon = s[i + 3] === ":" ? 1 : 0;
      const om = s.length > i + 3 ? digits(s, i + 3 + colon, 2) : 0;
      if (Number.isNaN(oh) || Number.isNaN(om)) return NaN;
      offsetMin = (c === "+" ? 1 : -1) * (oh * 60 + om);
      i += 3 + (s.length > i + 3 ? 2 + colon : 0);
    }
    if (i !== s.length) return NaN;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
}

/** The proxy's date filter format: "%Y-%m-%d %H:%M:%S", UTC (docs/litellm-reference.md §4.2). */
export function formatProxyDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}
