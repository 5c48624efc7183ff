import type { VirtualKey } from "../litellm/schemas";

export interface Limits {
  maxParallelRequests: number | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
}

export interface StoredKey extends Limits {
  id: number;
  hash: string;
  inCatalog: boolean;
  /** Limits of the newest KeyLimitChange, or null when none was recorded yet. */
  lastRecorded: Limits | null;
}

export interface CatalogDiff {
  upserts: VirtualKey[];
  /** Keys whose limits differ from the last recorded ones (or have none recorded): a new change row. */
  limitChanges: { hash: string; limits: Limits }[];
  /** Stored catalog keys the proxy no longer lists (deleted there). */
  removed: string[];
}

export function limitsOf(k: VirtualKey): Limits {
  return { maxParallelRequests: k.max_parallel_requests, rpmLimit: k.rpm_limit, tpmLimit: k.tpm_limit };
}

export function sameLimits(a: Limits, b: Limits): boolean {
  return a.maxParallelRequests === b.maxParallelRequests && a.rpmLimit === b.rpmLimit && a.tpmLimit === b.tpmLimit;
}

/** What a sync must write, given the stored catalog and the proxy's current list. Pure. */
export function diffCatalog(stored: StoredKey[], listed: VirtualKey[]): CatalogDiff {
  const byHash = new Map(stored.map((k) => [k.hash, k]));
  const listedHashes = new Set(listed.map((k) => k.token));
  const limitChanges: CatalogDiff["limitChanges"] = [];
  for (const k of listed) {
    const limits = limitsOf(k);
    const prev = byHash.get(k.token)?.lastRecorded ?? null;
    if (!prev || !sameLimits(prev, limits)) limitChanges.push({ hash: k.token, limits });
  }
  const removed = stored.filter((k) => k.inCatalog && !listedHashes.has(k.hash)).map((k) => k.hash);
  return { upserts: listed, limitChanges, removed };
}
