import type { LiteLLMClient } from "../litellm/client";
import { diffCatalog } from "./diff";
import type { CatalogRepository } from "./repository";

export interface SyncReport {
  keys: number;
  limitChanges: number;
  removed: number;
}

/** Reads every key from the proxy and records what changed, limits with the time they were seen. */
export async function syncCatalog(client: LiteLLMClient, store: CatalogRepository, now = Date.now): Promise<SyncReport> {
  const listed = await client.listAllKeys();
  const diff = diffCatalog(await store.storedKeys(), listed);
  await store.apply(diff, now());
  return { keys: listed.length, limitChanges: diff.limitChanges.length, removed: diff.removed.length };
}
