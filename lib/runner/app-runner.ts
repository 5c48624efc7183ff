import crypto from "node:crypto";
import os from "node:os";
import { serverConfig } from "../config/env";
import { litellmClient } from "../deps";
import { connectRedis } from "../redis/connection";
import { openSqlite } from "../store/sqlite";
import { Runner } from "./runner";

const globalForRunner = globalThis as unknown as { inflightRunner?: Runner };

/** Starts this server's runner once (it then competes for the lease); stops it when the process ends. */
export function startAppRunner(): Runner | null {
  if (globalForRunner.inflightRunner) return globalForRunner.inflightRunner;
  const config = serverConfig();
  const client = litellmClient();
  if (!config.RUNNER_ENABLED) {
    console.info("[runner] RUNNER_ENABLED=false: this instance only serves pages");
    return null;
  }
  if (!client) {
    console.warn("[runner] no LiteLLM proxy configured (LITELLM_URL): nothing to observe");
    return null;
  }
  const redis = config.REDIS_URL ? connectRedis(config.REDIS_URL) : null;
  redis?.on("error", () => undefined); // reported through job status; ioredis reconnects
  const runner = new Runner({
    config,
    sqlite: openSqlite(config.DATABASE_URL),
    client,
    redis,
    holderId: `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`,
    log: console,
  });
  globalForRunner.inflightRunner = runner;
  runner.start();
  const stop = () => void runner.stop().finally(() => redis?.disconnect());
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return runner;
}

/** This instance's runner, if it started one. */
export function appRunner(): Runner | null {
  return globalForRunner.inflightRunner ?? null;
}
