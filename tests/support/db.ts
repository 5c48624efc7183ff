import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runPrisma } from "../../scripts/lib/prisma.mjs";
import { openDb, type Db } from "../../lib/db";

export interface TestDb {
  db: Db;
  url: string;
  dir: string;
  close(): Promise<void>;
}

/** A fresh SQLite file with every migration applied by the real `prisma migrate deploy`. */
export async function createTestDb(): Promise<TestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inflight-db-"));
  const url = `file:${path.join(dir, "test.db")}`;
  runPrisma(["migrate", "deploy"], { databaseUrl: url, quiet: true });
  const db = await openDb(url);
  return {
    db,
    url,
    dir,
    async close() {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
