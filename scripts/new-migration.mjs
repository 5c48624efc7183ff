// `npm run db:new-migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// as the SQL that takes the last committed schema (git HEAD) to the working schema. `migrate dev`
// cannot run offline on SQLite, so the diff is made from the two datamodels instead.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./lib/paths.mjs";
import { runPrisma } from "./lib/prisma.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <name in snake_case>");
  process.exit(2);
}
const schema = path.join("prisma", "schema.prisma");
const migrationsDir = path.join(repoRoot, "prisma", "migrations");
const hasMigrations = fs.existsSync(migrationsDir) && fs.readdirSync(migrationsDir).some((d) => /^\d+_/.test(d));
let from = ["--from-empty"];
if (hasMigrations) {
  const previous = execFileSync("git", ["show", `HEAD:${schema}`], { cwd: repoRoot, encoding: "utf8" });
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inflight-schema-")), "schema.prisma");
  fs.writeFileSync(tmp, previous);
  from = ["--from-schema-datamodel", tmp];
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
const out = path.join(dir, "migration.sql");
runPrisma(["migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script", "-o", out]);
if (!fs.existsSync(path.join(migrationsDir, "migration_lock.toml"))) {
  fs.writeFileSync(path.join(migrationsDir, "migration_lock.toml"), 'provider = "sqlite"\n');
}
clusterHotTables(out);
console.log(`wrote ${path.relative(repoRoot, out)}`);

// SQLite stores these tables in their primary-key order (WITHOUT ROWID), so one key's time range is
// one contiguous read and inserts do not maintain a second B-tree: ~3x faster range reads and
// writes, 3x smaller (measured; see lib/concurrency/README.md). Prisma cannot say this in the
// schema, so it is added to the SQL here, also when Prisma redefines one of them ("new_<name>").
function clusterHotTables(file) {
  const hot = ["request", "series_1s", "series_1m", "limiter_sample"];
  const sql = fs.readFileSync(file, "utf8").replace(
    /CREATE TABLE "(?:new_)?([a-z0-9_]+)" \(([\s\S]*?)\n\);/g,
    (stmt, table) => (hot.includes(table) ? stmt.replace(/\n\);$/, "\n) WITHOUT ROWID;") : stmt),
  );
  fs.writeFileSync(file, sql);
}
