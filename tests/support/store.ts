import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateStore } from "../../lib/store/migrate";
import { openStore } from "../../lib/store/open";
import type { Dialect, Store } from "../../lib/store/store";
import { createTestPgDatabase } from "./postgres";

/** Both stores: suites that touch the store run once per dialect. */
export const DIALECTS: Dialect[] = ["sqlite", "postgres"];

/** An empty database of the dialect, migrated by the real migrator; its URL and a way to remove it. */
export async function createTestDatabase(dialect: Dialect): Promise<{ url: string; remove(): Promise<void> }> {
  if (dialect === "postgres") {
    const db = await createTestPgDatabase("store");
    await migrateStore(db.url);
    return { url: db.url, remove: db.drop };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inflight-db-"));
  const url = `file:${path.join(dir, "test.db")}`;
  await migrateStore(url);
  return { url, remove: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface TestStore {
  dialect: Dialect;
  url: string;
  store: Store;
  close(): Promise<void>;
}

/** A fresh migrated store of the dialect, opened; close() closes it and removes the database. */
export async function createTestStore(dialect: Dialect): Promise<TestStore> {
  const db = await createTestDatabase(dialect);
  const store = await openStore(db.url);
  return {
    dialect,
    url: db.url,
    store,
    async close() {
      await store.close();
      await db.remove();
    },
  };
}
