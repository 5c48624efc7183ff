import crypto from "node:crypto";
import type { Migration, MigrationTarget } from "../migrate";
import { LITELLM_TABLES } from "../migrate";
import { openPool } from "./connection";

// Prisma's own history table, as `prisma migrate deploy` creates it on Postgres.
const HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** The advisory lock every Inflight migrator of a database takes (any constant unique to Inflight). */
export const MIGRATION_LOCK_ID = 0x1f11_a7e1;

/**
 * Postgres: a session advisory lock around the whole run on one connection, so replicas starting
 * together migrate one at a time; each migration is a transaction with its history row (DDL is
 * transactional on Postgres).
 */
export async function postgresMigrationTarget(databaseUrl: string): Promise<MigrationTarget> {
  const pool = openPool(databaseUrl, { max: 1, applicationName: "inflight-migrate" });
  const client = await pool.connect();
  return {
    async litellmTables() {
      // pg_class, not information_schema: it lists tables in every schema whatever our privileges on them.
      const { rows } = await client.query<{ relname: string }>(
        "SELECT DISTINCT relname FROM pg_class WHERE relkind IN ('r', 'p') AND relname = ANY($1::text[]) ORDER BY relname",
        [LITELLM_TABLES],
      );
      return rows.map((r) => r.relname);
    },
    async withLock(fn) {
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
      try {
        return await fn();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => undefined);
      }
    },
    async applied() {
      await client.query(HISTORY);
      const { rows } = await client.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      return new Map(rows.map((r) => [r.migration_name, r.checksum]));
    },
    async apply(m: Migration) {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, now(), 1)`,
          [crypto.randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new Error(`migration ${m.name} failed: ${e instanceof Error ? e.message : e}`);
      }
    },
    async close() {
      client.release();
      await pool.end();
    },
  };
}
