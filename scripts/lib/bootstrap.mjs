// What `npm start`, `npm test` and `npm run bench` install or prepare before anything else runs.
// Plain Node with no dependencies: it must work before node_modules exists.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "./paths.mjs";

const stateFile = path.join(repoRoot, "node_modules", ".inflight-state.json");

function readState() {
  try {
    return JSON.parse(fs.readFileSync(stateFile, "utf8"));
  } catch {
    return {};
  }
}

function writeState(patch) {
  fs.writeFileSync(stateFile, JSON.stringify({ ...readState(), ...patch }, null, 2));
}

/** sha256 over the named files and every file under the named folders (sorted, so stable). */
export function hashSources(entries) {
  const h = crypto.createHash("sha256");
  const walk = (rel) => {
    const abs = path.join(repoRoot, rel);
    if (!fs.existsSync(abs)) return;
    const st = fs.statSync(abs);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(abs).sort()) {
        if (name === "node_modules" || name.startsWith(".")) continue;
        walk(path.join(rel, name));
      }
    } else if (!/\.test\.tsx?$/.test(rel)) {
      h.update(rel).update("\0").update(fs.readFileSync(abs)).update("\0");
    }
  };
  entries.forEach(walk);
  return h.digest("hex");
}

function run(cmd, args, what) {
  const res = spawnSync(cmd, args, { cwd: repoRoot, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (res.error) throw new Error(`${what} failed: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${what} failed (exit ${res.status})`);
}

function has(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** node_modules matching package-lock.json: `npm ci` when missing or older than the lock file. */
export function ensureNodeModules() {
  const installed = path.join(repoRoot, "node_modules", ".package-lock.json");
  const lock = path.join(repoRoot, "package-lock.json");
  if (fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  console.log("[setup] installing node modules (npm ci; compiles better-sqlite3, about 2 minutes the first time)…");
  run("npm", ["ci", "--no-audit", "--no-fund"], "npm ci");
}

let aptUpdated = false;
/** Installs Debian packages when root; otherwise says, in one line, how to. */
function aptInstall(pkgs, why) {
  if (!isRoot() || !has("apt-get")) {
    console.error(`[setup] ${why}: install it with: sudo apt-get install -y ${pkgs.join(" ")}`);
    process.exit(1);
  }
  console.log(`[setup] installing ${pkgs.join(", ")} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!aptUpdated) {
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    aptUpdated = true;
  }
  const res = spawnSync("apt-get", ["install", "-y", "-qq", ...pkgs], { stdio: "inherit", env });
  if (res.status !== 0) {
    console.error(`[setup] apt-get install ${pkgs.join(" ")} failed; install it by hand and retry`);
    process.exit(1);
  }
}

export function ensureRedisServer() {
  if (!has("redis-server")) aptInstall(["redis-server"], "redis-server is not installed (needed when REDIS_URL is unset)");
}

/** A PostgreSQL server for the tests and benches to run privately (Debian keeps it off PATH). */
export function ensurePostgres() {
  const root = "/usr/lib/postgresql";
  const debian = fs.existsSync(root) && fs.readdirSync(root).some((v) => fs.existsSync(path.join(root, v, "bin", "postgres")));
  const bindir = debian ? "" : spawnSync("pg_config", ["--bindir"], { encoding: "utf8" }).stdout?.trim();
  if (!debian && !(bindir && fs.existsSync(path.join(bindir, "postgres")))) {
    aptInstall(["postgresql"], "postgresql is not installed (the tests run a private one)");
  }
}

export function chromiumPath() {
  return process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
}

export function ensureChromium() {
  if (!fs.existsSync(chromiumPath())) aptInstall(["chromium"], "chromium is not installed (needed by the browser tests)");
}

/** The Prisma clients generated from the current schema: SQLite's and Postgres's (the bench's peer path). */
export async function ensurePrismaClient() {
  const schemaHash = hashSources(["prisma/schema.prisma", "scripts/lib/prisma.mjs"]);
  const generated = ["prisma", "prisma-postgres"].every((d) => fs.existsSync(path.join(repoRoot, "generated", d, "client.ts")));
  if (generated && readState().schemaHash === schemaHash) return;
  const { runPrisma } = await import("./prisma.mjs");
  console.log("[setup] generating the Prisma clients…");
  runPrisma(["generate"], { quiet: true });
  runPrisma(["generate"], { quiet: true, dialect: "postgres" });
  writeState({ schemaHash });
}

const BUILD_INPUTS = ["app", "components", "lib", "generated", "instrumentation.ts", "next.config.js", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];

/** A production build of the current sources; rebuilt only when they changed. */
export function ensureBuild() {
  const marker = path.join(repoRoot, ".next", "inflight-source-hash");
  const sourceHash = hashSources(BUILD_INPUTS);
  if (fs.existsSync(path.join(repoRoot, ".next", "BUILD_ID")) && fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === sourceHash) return;
  console.log("[setup] building the dashboard (next build)…");
  run(path.join(repoRoot, "node_modules", ".bin", "next"), ["build"], "next build");
  fs.writeFileSync(marker, sourceHash);
}

export function nodeVersionOk() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    console.error(`[setup] Node ${process.versions.node} is too old: Inflight needs Node 20.19+ or 22.12+`);
    process.exit(1);
  }
}

