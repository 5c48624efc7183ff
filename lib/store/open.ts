import type { Store } from "./store";
import { dialectOf } from "./url";

/**
 * Opens the store a URL names (already migrated: see lib/store/migrate.ts). The adapters load on
 * demand, so a SQLite install never loads pg and a Postgres one never opens a SQLite file.
 */
export async function openStore(databaseUrl: string): Promise<Store> {
  if (dialectOf(databaseUrl) === "sqlite") {
    const { openSqliteStore } = await import("./sqlite");
    return openSqliteStore(databaseUrl);
  }
  const { openPostgresStore } = await import("./postgres");
  return openPostgresStore(databaseUrl);
}
