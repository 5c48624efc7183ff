// A private PostgreSQL for tests: one throwaway cluster per vitest run (started by the default
// export, a vitest globalSetup), and a fresh database per test file on it (createTestPgDatabase).
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { freePort } from "../../scripts/lib/services";

export interface TestPostgres {
  /** Admin URL (superuser `inflight`) of the `postgres` database. */
  url: string;
  port: number;
  /** Creates an empty database named `<prefix>_<random>` and returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Drops the database of `url`, closing any connection still open to it. */
  dropDatabase(url: string): Promise<void>;
  /** Stops the server (fast shutdown) and removes its files. */
  stop(): Promise<void>;
}

export interface TestPgDatabase {
  url: string;
  drop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NOT_INSTALLED = "postgresql is not installed: apt-get install -y postgresql";
const USER = "inflight";

/** The directory of initdb and postgres: Debian keeps them off PATH, one folder per major version. */
function pgBinDir(): string {
  const hasServer = (dir: string) => fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "postgres"));
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  for (const v of versions.sort((a, b) => Number(b) - Number(a))) {
    if (hasServer(path.join(root, v, "bin"))) return path.join(root, v, "bin");
  }
  // Elsewhere (another distribution, a source build): pg_config knows, when it comes with the server.
  const res = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
  const dir = res.status === 0 ? res.stdout.trim() : "";
  if (dir && hasServer(dir)) return dir;
  throw new Error(NOT_INSTALLED);
}

/** Postgres refuses to run as root: then it runs as the `postgres` user the Debian package creates. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  if (!line) throw new Error(`running as root and there is no postgres user: ${NOT_INSTALLED}`);
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/** The last error line of initdb's output or the server's log (else its last line): the one that says why. */
function why(output: string): string {
  const lines = output.trim().split("\n").filter(Boolean);
  const line = lines.findLast((l) => /\b(FATAL|PANIC|ERROR|error):/.test(l)) ?? lines.at(-1) ?? "no output";
  return line.replace(/^\d{4}-.*?\b(?=(FATAL|PANIC|ERROR):)/, ""); // a log line without its timestamp and pid
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createDatabaseOn(adminUrl: string, prefix = "test"): Promise<string> {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(prefix)) throw new Error(`bad database name prefix: ${prefix}`);
  const name = `${prefix}_${crypto.randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabaseAt(dbUrl: string): Promise<void> {
  const url = new URL(dbUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[a-z][a-z0-9_]*$/.test(name) || name === "postgres") throw new Error(`refusing to drop database ${JSON.stringify(name)}`);
  url.pathname = "/postgres";
  // FORCE: a test that left a pool open must not make the drop wait or fail.
  await adminQuery(url.toString(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** The port was free when picked, and another process bound it before postgres did. */
class PortTaken extends Error {}

const ATTEMPTS = 5;

/**
 * Starts a throwaway PostgreSQL cluster on a free loopback port, in a temporary directory.
 * postgres cannot bind port 0 and say which port it got, so the port is picked here (bound and
 * released): when another process takes it before postgres binds it, postgres starts again on another.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = pgBinDir();
  const owner = serverUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inflight-pg-"));
  const dataDir = path.join(dir, "data");
  const fail = (message: string) => {
    fs.rmSync(dir, { recursive: true, force: true });
    return new Error(message);
  };
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);

  // --no-sync and the settings below trade durability for speed: the data is thrown away anyway.
  const init = spawnSync(
    path.join(bin, "initdb"),
    ["-D", dataDir, "-A", "trust", "-U", USER, "-E", "UTF8", "--locale=C", "--no-sync"],
    { cwd: dir, encoding: "utf8", timeout: 60_000, ...owner },
  );
  if (init.status !== 0) {
    const reason = why(`${init.stderr ?? ""}${init.error?.message ?? ""}`);
    const hint = owner && /Permission denied/.test(reason) ? " (as root it runs as the postgres user: point TMPDIR somewhere it can reach)" : "";
    throw fail(`initdb failed: ${reason}${hint}`);
  }

  for (let attempt = 1; ; attempt++) {
    try {
      return await runPostgres(bin, owner, dir, await freePort());
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt === ATTEMPTS) throw fail((e as Error).message);
    }
  }
}

/** Runs postgres over the cluster initdb made in `dir`, on `port`; throws PortTaken if the port was taken. */
async function runPostgres(bin: string, owner: { uid: number; gid: number } | undefined, dir: string, port: number): Promise<TestPostgres> {
  const dataDir = path.join(dir, "data");
  const logFile = path.join(dir, "log");
  // Names this server, so readiness is checked on it and not on whatever else answers on the port.
  const name = `inflight-test-${crypto.randomBytes(6).toString("hex")}`;
  // postgres itself, not pg_ctl: it stays our child, so we see at once if it dies, and a Ctrl+C
  // in the terminal reaches it too (same process group) and shuts it down.
  const log = fs.openSync(logFile, "w");
  const child = spawn(
    path.join(bin, "postgres"),
    [
      "-D", dataDir,
      "-p", String(port),
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=", // TCP only: no socket file to place or clean up
      "-c", `cluster_name=${name}`,
      "-c", "fsync=off",
      "-c", "synchronous_commit=off",
      "-c", "full_page_writes=off",
      "-c", "shared_buffers=64MB",
      "-c", "max_connections=200",
    ],
    { cwd: dir, stdio: ["ignore", log, log], ...owner },
  );
  fs.closeSync(log);
  let exited = false;
  let spawnError: Error | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  child.once("error", (e) => (spawnError = e));
  // Safety net if the run ends without stop() (an uncaught error, process.exit): no server left behind.
  const onExit = () => {
    child.kill("SIGQUIT");
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 }); // it may still be writing
  };
  process.once("exit", onExit);

  const url = `postgresql://${USER}@127.0.0.1:${port}/postgres`;
  async function shutDown() {
    if (!exited) {
      child.kill("SIGINT"); // fast shutdown: roll back open transactions, close connections
      const slow = setTimeout(() => child.kill("SIGQUIT"), 10_000); // immediate shutdown
      await exit;
      clearTimeout(slow);
    }
    process.removeListener("exit", onExit); // only now: the process may die while we wait
  }
  async function stop() {
    await shutDown();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const answers = async () => {
    // A timeout: whatever else holds the port may accept the connection and never answer.
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      return (await client.query("SELECT current_setting('cluster_name') AS name")).rows[0]?.name === name;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  let up = false;
  for (const deadline = Date.now() + 30_000; !up && !exited && !spawnError && Date.now() < deadline; ) {
    up = await answers();
    if (!up) await sleep(50);
  }
  if (spawnError) {
    process.removeListener("exit", onExit);
    throw new Error(`postgres could not start: ${spawnError.message}`);
  }
  if (!up) {
    await shutDown();
    const logText = fs.readFileSync(logFile, "utf8");
    if (exited && /Address already in use/.test(logText)) throw new PortTaken(`port ${port} was taken before postgres bound it`);
    throw new Error(`postgres did not start on port ${port}: ${exited ? why(logText) : "no answer after 30 s"}`);
  }

  return {
    url,
    port,
    createDatabase: (prefix) => createDatabaseOn(url, prefix),
    dropDatabase: dropDatabaseAt,
    stop,
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/**
 * vitest globalSetup: one cluster for the whole run, its admin URL handed to the test files
 * (inject("postgresUrl")), stopped when the run ends. Each vitest project runs its globalSetup (in
 * this one process): the first starts the cluster, the others share it, the last teardown stops it.
 */
export default async function setup(project: TestProject) {
  const shared = globalThis as { inflightTestPostgres?: { server: Promise<TestPostgres>; users: number } };
  const run = (shared.inflightTestPostgres ??= { server: startPostgres(), users: 0 });
  run.users++;
  let server: TestPostgres;
  try {
    server = await run.server;
  } catch (e) {
    // One readable line rather than a stack trace through this file.
    const err = new Error((e as Error).message);
    err.stack = err.message;
    throw err;
  }
  project.provide("postgresUrl", server.url);
  return async () => {
    if (--run.users > 0) return;
    delete shared.inflightTestPostgres;
    await server.stop();
  };
}

/** The admin URL of the run's shared cluster (inside a test file). */
export async function testPostgresUrl(): Promise<string> {
  // Imported here, not on top: vitest refuses to load outside its runner, and the benches (tsx)
  // import startPostgres from this file.
  const { inject } = await import("vitest");
  const url = inject("postgresUrl");
  if (!url) throw new Error("no test postgres: tests/support/postgres.ts is not in vitest's globalSetup");
  return url;
}

/** A fresh, empty database on the shared cluster, for one test file; drop() it in afterAll. */
export async function createTestPgDatabase(prefix?: string): Promise<TestPgDatabase> {
  const url = await createDatabaseOn(await testPostgresUrl(), prefix);
  return { url, drop: () => dropDatabaseAt(url) };
}
