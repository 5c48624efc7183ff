import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Dialect } from "./store";
import { dialectOf, redactUrl } from "./url";

/** LiteLLM's own tables: a database holding them is the proxy's, never Inflight's. */
export const LITELLM_TABLES = ["LiteLLM_VerificationToken", "LiteLLM_SpendLogs"] as const;

/** Refusal to touch a database: the message is the one line the operator reads. */
export class StoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreRefusedError";
  }
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateReport {
  applied: string[];
  /** Applied migrations whose file changed since (Prisma's checksum): a warning, not an error. */
  changed: string[];
}

/** Where each dialect's migration history lives: prisma/migrations/<dialect>/<name>/migration.sql. */
export function migrationsDir(dialect: Dialect): string {
  return path.resolve(__dirname, "..", "..", "prisma", "migrations", dialect);
}

/** The migrations of a dialect, oldest first (their names start with a timestamp). */
export function readMigrations(dialect: Dialect, dir = migrationsDir(dialect)): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d{14}_/.test(d.name))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

/** What each dialect's migrator does against its database. */
export interface MigrationTarget {
  /** Names of LiteLLM's tables present. */
  litellmTables(): Promise<string[]>;
  /** Runs fn holding the migration lock (no other migrator of this database runs meanwhile). */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
  /** Applied migrations, by name with their checksum (creates the history table when absent). */
  applied(): Promise<Map<string, string>>;
  /** Applies one migration and records it, in one transaction. */
  apply(m: Migration): Promise<void>;
  close(): Promise<void>;
}

/**
 * Brings a store's schema up to date: refuses a database that holds LiteLLM's tables, then, under
 * a lock (a Postgres advisory lock; SQLite's write lock), applies the migrations not yet applied,
 * each in its own transaction with its history row. The history is Prisma's `_prisma_migrations`
 * table, so `prisma migrate status` reads it too. Replicas starting together: one migrates, the
 * others wait for the lock and then find nothing to do.
 */
export async function migrateStore(databaseUrl: string, migrations = readMigrations(dialectOf(databaseUrl))): Promise<MigrateReport> {
  const target = await openTarget(databaseUrl);
  try {
    return await target.withLock(async () => {
      const found = await target.litellmTables();
      if (found.length) {
        throw new StoreRefusedError(
          `Inflight will not use ${redactUrl(databaseUrl)}: it holds LiteLLM's own tables (${found.join(", ")}). ` +
            "Give Inflight a database of its own in INFLIGHT_DATABASE_URL (DATABASE_URL is LiteLLM's setting and Inflight ignores it).",
        );
      }
      const done = await target.applied();
      const report: MigrateReport = { applied: [], changed: [] };
      for (const m of migrations) {
        const checksum = done.get(m.name);
        if (checksum === undefined) {
          await target.apply(m);
          report.applied.push(m.name);
        } else if (checksum !== m.checksum) report.changed.push(m.name);
      }
      return report;
    });
  } finally {
    await target.close();
  }
}

async function openTarget(databaseUrl: string): Promise<MigrationTarget> {
  if (dialectOf(databaseUrl) === "sqlite") {
    const { sqliteMigrationTarget } = await import("./sqlite/migrate");
    return sqliteMigrationTarget(databaseUrl);
  }
  const { postgresMigrationTarget } = await import("./postgres/migrate");
  return postgresMigrationTarget(databaseUrl);
}
