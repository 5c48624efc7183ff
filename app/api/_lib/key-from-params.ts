import { canSeeTeam, type Principal } from "@/lib/accounts/roles";
import type { KeyRef } from "@/lib/catalog/repository";
import { ApiError } from "@/lib/http/api-error";
import type { App } from "@/lib/server/app";

/**
 * The key a route's `[hash]` names, or a 4xx that says why. A key outside a team-limited viewer's
 * teams answers as unknown: its existence is not theirs to learn.
 */
export async function keyFromParams(a: App, params: Promise<{ hash: string }>, who: Pick<Principal, "teams">): Promise<KeyRef> {
  const { hash } = await params;
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new ApiError(422, "invalid_input", "hash: a key is named by the sha256 hex of its sk- key (64 hex characters)");
  const key = await a.store.catalog.keyByHash(hash);
  if (!key || !canSeeTeam(who, key.teamId)) throw new ApiError(404, "not_found", `No key ${hash.slice(0, 8)}… is known yet (the catalog syncs every ${a.config.CATALOG_SYNC_INTERVAL_S} s)`);
  return key;
}
