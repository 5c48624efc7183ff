import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";

export type Sqlite = Database.Database;

/**
 * A direct better-sqlite3 connection for the hot paths (ingest, series), beside Prisma's own.
 * WAL lets pages read while the runner writes; busy_timeout makes the two writers wait for each
 * other instead of failing; write transactions are IMMEDIATE so that wait applies.
 */
export function openSqlite(databaseUrl: string, opts: { readonly?: boolean } = {}): Sqlite {
  if (!databaseUrl.startsWith("file:")) throw new Error(`not a SQLite URL: ${databaseUrl}`);
  const file = databaseUrl.slice("file:".length);
  if (!opts.readonly) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: true });
  db.pragma("busy_timeout = 10000");
  if (!opts.readonly) {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
  }
  db.pragma("cache_size = -65536"); // 64 MB of page cache
  return db;
}

/** Runs fn in a BEGIN IMMEDIATE transaction (waits for, rather than fails on, another writer). */
export function writeTx<T>(db: Sqlite, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/** A DateTime as Prisma's SQLite adapter writes it, so rows written here read back through Prisma. */
export function sqlDate(d: Date = new Date()): string {
  return d.toISOString().replace("Z", "+00:00");
}
