const LOCAL = "http://inflight.local";

/**
 * Where to go after sign-in: only a path on this site, never another origin (an open redirect).
 * Browsers drop tabs and newlines and read a backslash as a slash ("/<tab>/evil.com" is
 * "//evil.com"), so a path with any control character or backslash is refused outright, and what is
 * left must resolve on this origin.
 */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || /[\u0000-\u001f\u007f\\]/.test(next)) return "/keys";
  try {
    return new URL(next, LOCAL).origin === LOCAL ? next : "/keys";
  } catch {
    return "/keys";
  }
}
