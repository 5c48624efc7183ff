import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/generated/prisma/client";
import { serverConfig } from "./config/env";

export type Db = PrismaClient;

/** Opens the store at a SQLite URL; WAL so readers (pages) never block the ingest writer. */
export async function openDb(databaseUrl: string): Promise<Db> {
  const db = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl }) });
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$executeRawUnsafe("PRAGMA busy_timeout = 5000");
  return db;
}

const globalForDb = globalThis as unknown as { inflightDb?: Promise<Db> };

/** The app server's store, one per process (kept on globalThis so dev reloads reuse it). */
export function db(): Promise<Db> {
  globalForDb.inflightDb ??= openDb(serverConfig().DATABASE_URL);
  return globalForDb.inflightDb;
}
