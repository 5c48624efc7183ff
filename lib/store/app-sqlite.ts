import { serverConfig } from "../config/env";
import { openSqlite, type Sqlite } from "./sqlite";

const globalForSqlite = globalThis as unknown as { inflightReadSqlite?: Sqlite };

/** The app server's connection for the read API's hot queries (the runner has its own). */
export function appSqlite(): Sqlite {
  globalForSqlite.inflightReadSqlite ??= openSqlite(serverConfig().DATABASE_URL);
  return globalForSqlite.inflightReadSqlite;
}
