// The migrator against real databases: it refuses LiteLLM's own database, it migrates once, and
// instances starting together against one empty Postgres all start.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrateStore, readMigrations, StoreRefusedError } from "../../lib/store/migrate";
import { createTestPgDatabase } from "../support/postgres";

const ROOT = path.resolve(__dirname, "..", "..");
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function emptyPg() {
  const db = await createTestPgDatabase("migrate");
  cleanups.push(db.drop);
  return db.url;
}

function emptySqlite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inflight-migrate-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return `file:${path.join(dir, "store.db")}`;
}

async function pgQuery(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** `npm run db:migrate` as a process, with the given store. */
function migrateProcess(databaseUrl: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/migrate.ts"], {
      cwd: ROOT,
      env: { ...process.env, INFLIGHT_DATABASE_URL: databaseUrl, DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

describe("migrations", () => {
  it("each dialect has a history, applied once: a second run finds nothing to do", async () => {
    for (const url of [emptySqlite(), await emptyPg()]) {
      const first = await migrateStore(url);
      expect(first.applied.length).toBeGreaterThan(0);
      expect(await migrateStore(url)).toEqual({ applied: [], changed: [] });
    }
    expect(readMigrations("sqlite").length).toBeGreaterThan(0);
    expect(readMigrations("postgres").length).toBeGreaterThan(0);
  });

  it("refuses, in one line and touching nothing, a Postgres database that holds LiteLLM's tables", async () => {
    const url = await emptyPg();
    // What LiteLLM's own Prisma schema creates (abridged): its keys and its spend logs.
    await pgQuery(url, `CREATE TABLE "LiteLLM_VerificationToken" (token TEXT PRIMARY KEY); CREATE TABLE "LiteLLM_SpendLogs" (request_id TEXT PRIMARY KEY)`);
    const err = await migrateStore(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreRefusedError);
    expect((err as Error).message).toMatch(/^Inflight will not use postgresql:\/\/.*: it holds LiteLLM's own tables \(LiteLLM_SpendLogs, LiteLLM_VerificationToken\)\./);
    expect((err as Error).message).not.toContain("\n");
    const tables = await pgQuery(url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
    expect(tables.map((t) => t.tablename)).toEqual(["LiteLLM_SpendLogs", "LiteLLM_VerificationToken"]);

    // The process a replica runs says the same in one line and exits non-zero.
    const run = await migrateProcess(url);
    expect(run.code).not.toBe(0);
    expect(run.out.trim().split("\n")).toEqual([expect.stringMatching(/^\[setup\] Inflight will not use .*LiteLLM's own tables/)]);
  });

  it("refuses a SQLite file that holds one of LiteLLM's tables", async () => {
    const url = emptySqlite();
    const db = new Database(url.slice("file:".length));
    db.exec(`CREATE TABLE "LiteLLM_SpendLogs" (request_id TEXT PRIMARY KEY)`);
    db.close();
    await expect(migrateStore(url)).rejects.toThrow(/holds LiteLLM's own tables \(LiteLLM_SpendLogs\)/);
  });

  it("migrators racing on one empty Postgres take turns: one applies, the others find it done", async () => {
    const url = await emptyPg();
    const reports = await Promise.all([migrateStore(url), migrateStore(url), migrateStore(url)]);
    expect(reports.map((r) => r.applied.length).sort()).toEqual([0, 0, readMigrations("postgres").length]);
  });

  it("two instances migrating the same empty Postgres at once both start, and each migration is applied once", async () => {
    const url = await emptyPg();
    const [a, b] = await Promise.all([migrateProcess(url), migrateProcess(url)]);
    expect([a.code, b.code], `${a.out}\n${b.out}`).toEqual([0, 0]);
    const said = [a.out, b.out].join("\n");
    expect(said).toMatch(/applied \d+ migration/);
    expect(said).toMatch(/schema up to date/);
    const history = await pgQuery(url, `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(history.map((h) => h.migration_name)).toEqual(readMigrations("postgres").map((m) => m.name));
  });
});
