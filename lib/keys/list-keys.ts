import type { LiteLLMClient } from "../litellm/client";
import { sortKeyRows, toKeyRow, type KeyRow } from "./key-row";

export interface KeyListResult {
  keys: KeyRow[];
  fetchedAt: string;
}

/** Every virtual key on the proxy, read live from `/key/list`. */
export async function listKeys(client: LiteLLMClient, now = new Date()): Promise<KeyListResult> {
  const keys = await client.listAllKeys();
  return { keys: sortKeyRows(keys.map(toKeyRow)), fetchedAt: now.toISOString() };
}
