import type { CatalogDiff, Limits, StoredKey } from "./diff";

/** A key as the read side knows it: the proxy's current limits, or none for a key only seen in spend logs. */
export interface KeyRef {
  id: number;
  hash: string;
  alias: string | null;
  teamId: string | null;
  maxParallelRequests: number | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  /** False for a key seen in spend logs that the proxy's key list lacks (or no longer has). */
  inCatalog: boolean;
}

/** One recorded limit change: the limits in force from `fromMs` on. */
export interface LimitChange {
  keyId: number;
  fromMs: number;
  maxParallelRequests: number | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  /** "proxy" when a catalog sync noticed it, "inflight" when changed through Inflight. */
  source: string;
}

/** The proxy's keys and the history of their limits. */
export interface CatalogRepository {
  /** Every stored key with its newest recorded limits: what a sync diffs against. */
  storedKeys(): Promise<StoredKey[]>;
  /** Writes a sync in one transaction; limit changes take effect at `seenAtMs`, when Inflight saw them. */
  apply(diff: CatalogDiff, seenAtMs: number): Promise<void>;
  /**
   * A limit change made through Inflight (confirmed on the proxy): the key's limits and a change row
   * from `atMs`, in one transaction, so the next sync sees nothing new.
   */
  recordLimitChange(hash: string, limits: Limits, atMs: number, source: "inflight"): Promise<void>;
  keyByHash(hash: string): Promise<KeyRef | null>;
  /** The keys the dashboard lists: those in the proxy's catalog, and those with stored requests. Ordered by id. */
  listedKeys(): Promise<KeyRef[]>;
  /** Keys in the proxy's catalog (what the limiter sampler reads). Ordered by id. */
  catalogKeys(): Promise<KeyRef[]>;
  /** The recorded limit changes of these keys that took effect before `toMs`, per key oldest first. */
  limitChanges(keyIds: number[], toMs: number): Promise<LimitChange[]>;
}
