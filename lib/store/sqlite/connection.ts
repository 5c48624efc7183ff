import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";

export type Sqlite = Database.Database;

/** The file a `file:` URL names. */
export function sqliteFile(databaseUrl: string): string {
  if (!databaseUrl.startsWith("file:")) throw new Error(`not a SQLite URL: ${databaseUrl}`);
  return databaseUrl.slice("file:".length);
}

/**
 * A better-sqlite3 connection: the SQLite store's adapters run on it. WAL lets pages read while
 * the runner writes; busy_timeout makes two processes' writers wait for each other instead of
 * failing; write transactions are IMMEDIATE so that wait applies.
 */
export function openSqlite(databaseUrl: string, opts: { readonly?: boolean; create?: boolean } = {}): Sqlite {
  const file = sqliteFile(databaseUrl);
  if (opts.create) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: !opts.create });
  db.pragma("busy_timeout = 10000");
  if (!opts.readonly) {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
  }
  db.pragma("cache_size = -65536"); // 64 MB of page cache
  return db;
}

/**
 * Runs fn in a BEGIN IMMEDIATE transaction (waits for, rather than fails on, another writer).
 * fn is synchronous: nothing else can run on the connection in between, so the adapters share
 * one connection per process safely.
 */
export function writeTx<T>(db: Sqlite, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/** A DateTime as Prisma's SQLite adapter writes it (the schema's DateTime columns), so both read it back. */
export function sqlDate(d: Date = new Date()): string {
  return d.toISOString().replace("Z", "+00:00");
}

/** A stored DateTime column back to a Date. */
export function fromSqlDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  return new Date(typeof v === "number" ? v : String(v));
}

/** A nullable numeric column as a number. */
export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
