/**
 * The metadata entry a burst test's twin key carries: the hash of the key it copies. It marks the
 * twin as Inflight's own instrument wherever the key is seen (the catalog sync records it as one).
 */
export const TWIN_OF = "inflight_burst_twin_of";

/** The key a listed key is a burst twin of, or null for an operator's key. */
export function twinOf(metadata: Record<string, unknown>): string | null {
  const v = metadata[TWIN_OF];
  return typeof v === "string" && v !== "" ? v : null;
}
