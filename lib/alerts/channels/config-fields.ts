import { z } from "zod";

/**
 * What the channels' configs share: an http(s) URL field with readable messages, and the hints
 * that stand in for secrets when a config is shown. Messages never quote the value given (it may
 * be a secret).
 */
export function httpUrlField(label: string, example: string) {
  return z
    .string({ error: `${label} is required` })
    .trim()
    .refine((v) => URL.canParse(v), { error: `${label} must be a URL such as ${example}`, abort: true })
    .refine((v) => ["http:", "https:"].includes(new URL(v).protocol), `${label} must start with http:// or https://`);
}

/** "…a1b2": the last four characters of a secret, enough to tell two apart. */
export function lastFour(secret: string): string {
  return `…${secret.slice(-4)}`;
}

/** "https://example.com/…": scheme and host only, the path and query hidden (they may hold a token). */
export function originOnly(url: string): string {
  const u = new URL(url);
  return u.pathname === "/" && !u.search ? u.origin : `${u.origin}/…`;
}
