// The running stack behind `npm start`: every setting checked first, then what is missing built,
// the store migrated, a private Redis and the simulator when the operator gave none, and the
// dashboard. Everything it started stops when it stops.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, loadLauncherConfig, type LauncherConfig } from "../lib/config/env";
import { ensureBuild, ensurePrismaClient, ensureRedisServer } from "./lib/bootstrap.mjs";
import { migrateOrExit } from "./lib/migrate-store";
import { repoRoot } from "./lib/paths.mjs";
import { freePort, portIsFree, redisAnswers, startService, type Service } from "./lib/services";

const started: Service[] = [];
let stopping = false;

async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const s of [...started].reverse()) await s.stop().catch(() => undefined);
  process.exit(code);
}

async function startPrivateRedis(cfg: LauncherConfig): Promise<string> {
  const dir = path.join(cfg.DATA_DIR, "redis");
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const redis = await startService({
    name: "redis",
    command: "redis-server",
    args: ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--logfile", "redis.log", "--save", "300 1", "--appendonly", "no"],
    ready: () => redisAnswers(port),
    timeoutMs: 10_000,
  });
  started.push(redis);
  return `redis://127.0.0.1:${port}`;
}

/**
 * The demo proxy runs a 20 s rate-limit window (LiteLLM's LITELLM_RATE_LIMIT_WINDOW_SIZE, 60 by
 * default) so the #16011 overshoot of its leaky key shows within the first minute.
 */
const DEMO_WINDOW_S = 20;

/**
 * The demo proxy writes spend logs every 10 s (plus up to 5 s of jitter, LiteLLM's default), not
 * the 60 s of LiteLLM's production guide that INGEST_FLUSH_LAG_S's default covers: so the demo's
 * truth trails by ~20 s, not ~75 s.
 */
const DEMO_FLUSH_INTERVAL_S = 10;
const DEMO_FLUSH_LAG_S = DEMO_FLUSH_INTERVAL_S + 6;

async function startSimulator(cfg: LauncherConfig, redisUrl: string) {
  if (!(await portIsFree(cfg.SIMULATOR_PORT))) {
    throw new Error(`SIMULATOR_PORT ${cfg.SIMULATOR_PORT} is already in use: set SIMULATOR_PORT to a free port`);
  }
  const masterKey = `sk-${crypto.randomBytes(18).toString("base64url")}`;
  const sim = await startService({
    name: "simulator",
    command: path.join(repoRoot, "node_modules", ".bin", "tsx"),
    args: [
      path.join(repoRoot, "simulator", "src", "main.ts"),
      ...["--port", String(cfg.SIMULATOR_PORT), "--redis-url", redisUrl, "--master-key", masterKey, "--window", String(DEMO_WINDOW_S), "--demo"],
      ...["--flush-interval", String(DEMO_FLUSH_INTERVAL_S)],
      // The demo proxy keeps its keys across restarts, as a real proxy does in its database.
      ...["--data-dir", path.join(cfg.DATA_DIR, "simulator")],
    ],
    ready: /simulator listening on http:\/\/127\.0\.0\.1:\d+/,
    timeoutMs: 30_000,
  });
  started.push(sim);
  return { url: `http://127.0.0.1:${cfg.SIMULATOR_PORT}`, masterKey, windowS: DEMO_WINDOW_S };
}

async function main() {
  let cfg: LauncherConfig;
  try {
    cfg = loadLauncherConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  if (process.env.DATABASE_URL && !process.env.INFLIGHT_DATABASE_URL) {
    console.log("[setup] DATABASE_URL is LiteLLM's setting and Inflight ignores it; Inflight's store is INFLIGHT_DATABASE_URL (default: SQLite in DATA_DIR)");
  }
  try {
    if (!cfg.REDIS_URL) ensureRedisServer();
    await ensurePrismaClient();
    if (!process.argv.includes("--no-build")) ensureBuild();
  } catch (e) {
    console.error(`[setup] ${(e as Error).message}`);
    process.exit(1);
  }
  if (!(await portIsFree(cfg.PORT, cfg.HOST))) throw new Error(`PORT ${cfg.PORT} is already in use on ${cfg.HOST}: set PORT to a free port`);

  fs.mkdirSync(cfg.DATA_DIR, { recursive: true });
  await migrateOrExit(cfg.INFLIGHT_DATABASE_URL);

  let redisUrl = cfg.REDIS_URL;
  if (!redisUrl) {
    redisUrl = await startPrivateRedis(cfg);
    console.log(`[setup] REDIS_URL unset: started a private Redis at ${redisUrl} (files in ${path.join(cfg.DATA_DIR, "redis")})`);
    if (cfg.LITELLM_URL) console.log("[setup] note: LiteLLM's limiter state is only visible when REDIS_URL is the Redis your proxy uses");
  }

  let litellmUrl = cfg.LITELLM_URL;
  let masterKey = cfg.LITELLM_MASTER_KEY;
  const extraEnv: Record<string, string> = {};
  if (!litellmUrl) {
    const sim = await startSimulator(cfg, redisUrl);
    ({ url: litellmUrl, masterKey } = sim);
    extraEnv.LITELLM_RATE_LIMIT_WINDOW_SIZE = String(sim.windowS);
    if (!process.env.INGEST_FLUSH_LAG_S) extraEnv.INGEST_FLUSH_LAG_S = String(DEMO_FLUSH_LAG_S);
    console.log(`[setup] LITELLM_URL unset: started the LiteLLM simulator with demo traffic at ${litellmUrl}`);
  } else if (!masterKey && !cfg.LITELLM_API_KEY) {
    throw new ConfigError(["LITELLM_MASTER_KEY (or a read-only LITELLM_API_KEY): required when LITELLM_URL is set"]);
  }

  const next = await startService({
    name: "next",
    command: path.join(repoRoot, "node_modules", ".bin", "next"),
    args: ["start", "-H", cfg.HOST, "-p", String(cfg.PORT)],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATA_DIR: cfg.DATA_DIR,
      INFLIGHT_DATABASE_URL: cfg.INFLIGHT_DATABASE_URL,
      REDIS_URL: redisUrl,
      LITELLM_URL: litellmUrl,
      LITELLM_MASTER_KEY: masterKey ?? "",
      ...extraEnv,
    },
    ready: /Ready in|started server on/i,
    timeoutMs: 60_000,
  });
  started.push(next);
  console.log(`\nInflight is up at http://${cfg.HOST}:${cfg.PORT}  (Ctrl+C stops it and everything it started)`);
  console.log(
    cfg.INFLIGHT_ADMIN_EMAIL
      ? `Sign in as ${cfg.INFLIGHT_ADMIN_EMAIL} (INFLIGHT_ADMIN_EMAIL).\n`
      : "First visit with no account yet: the setup page makes the first admin (or set INFLIGHT_ADMIN_EMAIL and INFLIGHT_ADMIN_PASSWORD).\n",
  );

  // Any service dying takes the stack down rather than leaving a half-working dashboard.
  for (const s of started) {
    void s.exited.then((code) => {
      if (!stopping) {
        console.error(`[${s.name}] exited unexpectedly (code ${code}); stopping the rest`);
        void stopAll(1);
      }
    });
  }
}

for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => void stopAll(0));

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  void stopAll(1);
});
