// `npm run db:new-migration -- <name>`: writes prisma/migrations/<dialect>/<timestamp>_<name>/
// migration.sql for each dialect: the SQL that takes the last committed schema (git HEAD) to the
// working prisma/schema.prisma. `migrate dev` cannot run offline, so Prisma diffs the two
// datamodels (Postgres's through a throwaway private cluster: its wasm engine connects even to
// diff), then the SQL is shaped for each store (see the two functions at the end).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PARTITIONED } from "../lib/store/postgres/partitions";
import { startPostgres } from "../tests/support/postgres";
import { repoRoot } from "./lib/paths.mjs";
import { runPrisma, writePostgresSchema } from "./lib/prisma.mjs";

async function main() {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("usage: npm run db:new-migration -- <name in snake_case>");
    process.exit(2);
  }
  const schema = path.join("prisma", "schema.prisma");
  const previous = execFileSync("git", ["show", `HEAD:${schema}`], { cwd: repoRoot, encoding: "utf8" });
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);

  const sqliteFrom = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inflight-schema-")), "schema.prisma");
  fs.writeFileSync(sqliteFrom, previous);
  const sqliteSql = runPrisma(["migrate", "diff", "--from-schema-datamodel", sqliteFrom, "--to-schema-datamodel", schema, "--script"], { quiet: true });
  write("sqlite", clusterHotTables(sqliteSql));

  const pg = await startPostgres();
  try {
    const from = writePostgresSchema(previous, "previous.prisma").schema;
    const to = writePostgresSchema().schema;
    const databaseUrl = await pg.createDatabase("diff");
    const pgSql = runPrisma(["migrate", "diff", "--from-schema-datamodel", from, "--to-schema-datamodel", to, "--script"], { quiet: true, dialect: "postgres", databaseUrl });
    write("postgres", partitionHotTables(pgSql));
  } finally {
    await pg.stop();
  }

  function write(dialect: string, sql: string) {
    const dir = path.join(repoRoot, "prisma", "migrations", dialect, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql.replace(/^Loaded Prisma config.*\n/m, ""));
    console.log(`wrote ${path.relative(repoRoot, dir)}/migration.sql`);
  }
}

/**
 * SQLite stores the time-series tables in primary-key order (WITHOUT ROWID), so one key's time
 * range is one contiguous read and inserts maintain no second B-tree: ~3x faster range reads and
 * writes, 3x smaller (measured; lib/concurrency/README.md). Prisma cannot say this in the schema,
 * so it is added here, also when Prisma redefines one of them ("new_<name>").
 */
const SQLITE_CLUSTERED = ["request", "series_1s", "series_1m", "series_1h", "limiter_sample", "live_second", "violation_second"];
function clusterHotTables(sql: string): string {
  return sql.replace(/CREATE TABLE "(?:new_)?([a-z0-9_]+)" \(([\s\S]*?)\n\);/g, (stmt, table: string) =>
    SQLITE_CLUSTERED.includes(table) ? stmt.replace(/\n\);$/, "\n) WITHOUT ROWID;") : stmt,
  );
}

/**
 * Postgres splits the time-series tables by time (lib/store/postgres/partitions.ts), so retention
 * drops whole partitions. A new such table must say so when created; altering one needs nothing.
 */
const POSTGRES_PARTITIONED: Record<string, string> = Object.fromEntries(Object.values(PARTITIONED).map((p) => [p.table, p.column]));
function partitionHotTables(sql: string): string {
  return sql
    .replace(/-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/, "")
    .replace(/CREATE TABLE "([a-z0-9_]+)" \(([\s\S]*?)\n\);/g, (stmt, table: string) =>
      table in POSTGRES_PARTITIONED ? stmt.replace(/\n\);$/, `\n) PARTITION BY RANGE ("${POSTGRES_PARTITIONED[table]}");`) : stmt,
    );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
