import { serverConfig } from "@/lib/config/env";
import { ApiError } from "@/lib/http/api-error";
import { KeyQueries, type KeyRef } from "@/lib/series/key-queries";
import { appSqlite } from "@/lib/store/app-sqlite";

/** The read queries and the key a route's `[hash]` names, or a 404 that says why. */
export async function keyFromParams(params: Promise<{ hash: string }>): Promise<{ q: KeyQueries; key: KeyRef }> {
  const { hash } = await params;
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new ApiError(422, "invalid_input", "hash: a key is named by the sha256 hex of its sk- key (64 hex characters)");
  const q = new KeyQueries(appSqlite(), serverConfig().INGEST_MAX_REQUEST_S * 1000);
  const key = q.keyByHash(hash);
  if (!key) throw new ApiError(404, "not_found", `No key ${hash.slice(0, 8)}… is known yet (the catalog syncs every ${serverConfig().CATALOG_SYNC_INTERVAL_S} s)`);
  return { q, key };
}
