import crypto from "node:crypto";

/** sha256 hex, LiteLLM's hash_token(). */
export function hashToken(raw: string): string {
  return crypto.createHash("sha256").update(raw).digest("hex");
}

/** "sk-" + secrets.token_urlsafe(16): 22 url-safe base64 characters. */
export function newRawKey(): string {
  return "sk-" + crypto.randomBytes(16).toString("base64url");
}

/** LiteLLM's abbreviate_api_key: "sk-...abcd". */
export function abbreviateKey(raw: string): string {
  return `sk-...${raw.slice(-4)}`;
}

/** uuid.uuid4().hex: 32 hex characters. */
export function uuidHex(): string {
  return crypto.randomUUID().replace(/-/g, "");
}

/** `YYYY-MM-DDTHH:MM:SS.` of recent whole seconds, by second mod 64: a page of spend logs formats thousands of nearby instants. */
const secondPrefix = { sec: new Float64Array(64).fill(NaN), text: new Array<string>(64).fill("") };

/** Spend-log timestamp, §9.1: `YYYY-MM-DDTHH:MM:SS.mmm+00:00`. */
export function isoOffset(ms: number): string {
  const t = Math.floor(ms);
  const sec = Math.floor(t / 1000);
  const slot = sec & 63;
  if (secondPrefix.sec[slot] !== sec) {
    secondPrefix.sec[slot] = sec;
    secondPrefix.text[slot] = new Date(sec * 1000).toISOString().slice(0, 20);
  }
  const milli = t - sec * 1000;
  return secondPrefix.text[slot] + (milli < 10 ? "00" : milli < 100 ? "0" : "") + milli + "+00:00";
}

/** Python `datetime.isoformat()` of an aware UTC datetime (microseconds): `…T…:….mmm000+00:00`. */
export function pyIso(ms: number | null): string | null {
  if (ms === null) return null;
  const s = new Date(ms).toISOString();
  return s.slice(0, 23) + "000+00:00";
}

/** Pydantic v2 JSON of an aware UTC datetime: `…T…:….mmm000Z`. */
export function pydanticIso(ms: number | null): string | null {
  if (ms === null) return null;
  const s = new Date(ms).toISOString();
  return s.slice(0, 23) + "000Z";
}

/** `%Y-%m-%d %H:%M:%S` of a UTC instant. */
export function ymdHms(ms: number): string {
  const s = new Date(ms).toISOString();
  return s.slice(0, 10) + " " + s.slice(11, 19);
}

/** Parses `%Y-%m-%d %H:%M:%S` (strict, like strptime) as UTC; null if it does not match. */
export function parseYmdHms(s: string): number | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(s);
  if (!m) return null;
  return utcParts(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6]);
}

/** Parses `%Y-%m-%d` as UTC midnight; null if it does not match. */
export function parseYmd(s: string): number | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (!m) return null;
  return utcParts(+m[1], +m[2], +m[3], 0, 0, 0);
}

function utcParts(y: number, mo: number, d: number, h: number, mi: number, s: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return null; // e.g. Feb 30
  return ms;
}

/** Python str(float) for a non-negative float, roughly (repr): up to 17 significant digits, at least one decimal. */
export function pyFloat(n: number): string {
  if (Number.isInteger(n)) return n.toFixed(1);
  return String(n);
}

/** Python repr() of a str: single quotes unless the text has a single quote and no double quote, escapes as CPython. */
export function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    if (ch === "\\") out += "\\\\";
    else if (ch === q) out += "\\" + q;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch < " " || ch === "\x7f") out += "\\x" + ch.charCodeAt(0).toString(16).padStart(2, "0");
    else out += ch;
  }
  return q + out + q;
}

/**
 * The message of `HTTPException(detail={"error": msg})` once LiteLLM wraps it in a ProxyException:
 * `ProxyException.__init__` does `self.message = str(message)`, so the client reads the dict's repr,
 * `{'error': '…'}`, as the message string.
 */
export function pyErrorDict(msg: string): string {
  return `{'error': ${pyRepr(msg)}}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
