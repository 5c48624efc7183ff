import type { VirtualKey } from "../litellm/schemas";

/** A virtual key as the Keys page shows it. Holds the hash only: the raw key never reaches Inflight. */
export interface KeyRow {
  hash: string;
  alias: string | null;
  teamId: string | null;
  maxParallelRequests: number | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  blocked: boolean;
}

export function toKeyRow(k: VirtualKey): KeyRow {
  return {
    hash: k.token,
    alias: k.key_alias,
    teamId: k.team_id,
    maxParallelRequests: k.max_parallel_requests,
    rpmLimit: k.rpm_limit,
    tpmLimit: k.tpm_limit,
    blocked: k.blocked,
  };
}

/** Alias order, keys without alias last, then by hash: stable across refreshes. */
export function sortKeyRows(rows: KeyRow[]): KeyRow[] {
  return [...rows].sort((a, b) => {
    if (a.alias && b.alias) return a.alias.localeCompare(b.alias) || a.hash.localeCompare(b.hash);
    if (a.alias) return -1;
    if (b.alias) return 1;
    return a.hash.localeCompare(b.hash);
  });
}
