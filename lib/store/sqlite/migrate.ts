import crypto from "node:crypto";
import type { Migration, MigrationTarget } from "../migrate";
import { LITELLM_TABLES } from "../migrate";
import { openSqlite } from "./connection";

// Prisma's own history table, as `prisma migrate deploy` creates it on SQLite.
const HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/**
 * SQLite: the whole migration runs in one BEGIN IMMEDIATE transaction, which holds the database's
 * write lock; a second migrator waits for it (busy_timeout) and then finds the work done.
 */
export function sqliteMigrationTarget(databaseUrl: string): MigrationTarget {
  const db = openSqlite(databaseUrl, { create: true });
  return {
    async litellmTables() {
      const rows = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${LITELLM_TABLES.map(() => "?").join(", ")})`);
      return (rows.pluck().all(...LITELLM_TABLES) as string[]).sort();
    },
    async withLock(fn) {
      db.exec("BEGIN IMMEDIATE");
      try {
        const out = await fn();
        db.exec("COMMIT");
        return out;
      } catch (e) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw e;
      }
    },
    async applied() {
      db.exec(HISTORY);
      const rows = db.prepare(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`).raw().all() as [string, string][];
      return new Map(rows);
    },
    async apply(m: Migration) {
      // Inside the lock's transaction: a failing migration rolls the whole run back.
      db.exec(m.sql);
      const now = new Date().toISOString();
      db.prepare(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
      ).run(crypto.randomUUID(), m.checksum, now, m.name, now);
    },
    async close() {
      db.close();
    },
  };
}
