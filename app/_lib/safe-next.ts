/** Where to go after sign-in: only a path on this site (never another origin: an open redirect). */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/keys";
}
