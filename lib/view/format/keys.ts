/** First characters of a key's sha256, enough to tell keys apart in a table. */
export function shortHash(hash: string, length = 8): string {
  return hash.length <= length ? hash : `${hash.slice(0, length)}…`;
}

/** A limit as operators read it: a number, or "none" when the proxy enforces nothing. */
export function formatLimit(limit: number | null): string {
  return limit === null ? "none" : limit.toLocaleString("en-US");
}
