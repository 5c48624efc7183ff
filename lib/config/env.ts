import path from "node:path";
import { z } from "zod";

/** A configuration problem, worded for the operator who set the environment. */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/**
 * An empty (or blank) value means unset, for every setting: `PORT=` in an env file or compose's
 * `PORT: ""` asks for the default. Numbers need it most: z.coerce turns "" into 0.
 */
const emptyAsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const port = (name: string, fallback: number) =>
  z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: `${name} must be a port number` })
      .int(`${name} must be a whole number`)
      .min(1, `${name} must be between 1 and 65535`)
      .max(65535, `${name} must be between 1 and 65535`)
      .default(fallback),
  );

const httpUrl = (name: string) =>
  z.preprocess(
    emptyAsUnset,
    z
      .url({ error: `${name} must be a URL such as http://127.0.0.1:4000` })
      .refine((u) => /^https?:\/\//.test(u), `${name} must start with http:// or https://`)
      .transform((u) => u.replace(/\/+$/, ""))
      .optional(),
  );

const redisUrl = (name: string) =>
  z.preprocess(
    emptyAsUnset,
    z
      .string()
      .refine((u) => /^rediss?:\/\/.+/.test(u), `${name} must look like redis://host:6379 or rediss://host:6380`)
      .optional(),
  );

const masterKey = z.preprocess(
  emptyAsUnset,
  z
    .string()
    .refine((k) => k.startsWith("sk-"), "LITELLM_MASTER_KEY must start with sk- (LiteLLM requires it)")
    .optional(),
);

const count = (name: string, fallback: number, min: number, max: number) =>
  z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: `${name} must be a number` })
      .int(`${name} must be a whole number`)
      .min(min, `${name} must be at least ${min}`)
      .max(max, `${name} must be at most ${max}`)
      .default(fallback),
  );

/** Settings shared by the launcher and the app server. */
const sharedShape = {
  HOST: z.preprocess(emptyAsUnset, z.string().default("127.0.0.1")),
  PORT: port("PORT", 3000),
  DATA_DIR: z.preprocess(emptyAsUnset, z.string().default("data")),
  // Not DATABASE_URL: that is LiteLLM's own setting, and Inflight must never migrate into the proxy's database.
  INFLIGHT_DATABASE_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .refine(
        (u) => /^file:.+/.test(u) || /^postgres(ql)?:\/\/.+/.test(u),
        "INFLIGHT_DATABASE_URL must be a SQLite URL such as file:./data/inflight.db or a Postgres URL such as postgresql://user:pass@host:5432/inflight",
      )
      .optional(),
  ),
  /** The Redis the proxy uses: LiteLLM's limiter state is read there, never written. */
  REDIS_URL: redisUrl("REDIS_URL"),
  /** Inflight's own state (the runner lease); the proxy's Redis when unset. */
  INFLIGHT_REDIS_URL: redisUrl("INFLIGHT_REDIS_URL"),
  LITELLM_URL: httpUrl("LITELLM_URL"),
  LITELLM_MASTER_KEY: masterKey,
  LITELLM_TIMEOUT_MS: count("LITELLM_TIMEOUT_MS", 10_000, 100, 120_000),
};

const flag = (fallback: boolean) =>
  z.preprocess(emptyAsUnset, z.enum(["true", "false", "1", "0"]).default(fallback ? "true" : "false")).transform((v) => v === "true" || v === "1");

/** The background runner: ingest, sampling, retention (issue 5). */
const runnerShape = {
  RUNNER_ENABLED: flag(true),
  RUNNER_LEASE_TTL_S: count("RUNNER_LEASE_TTL_S", 15, 2, 300),
  CATALOG_SYNC_INTERVAL_S: count("CATALOG_SYNC_INTERVAL_S", 30, 5, 3600),
  INGEST_POLL_INTERVAL_S: count("INGEST_POLL_INTERVAL_S", 5, 1, 300),
  INGEST_MAX_REQUEST_S: count("INGEST_MAX_REQUEST_S", 900, 10, 86_400),
  // LiteLLM's production guide writes spend logs every 60 s (plus 0–5 s of jitter): the default covers that.
  INGEST_FLUSH_LAG_S: count("INGEST_FLUSH_LAG_S", 70, 0, 3600),
  INGEST_RECONCILE_INTERVAL_S: count("INGEST_RECONCILE_INTERVAL_S", 300, 5, 86_400),
  INGEST_RECONCILE_HOURS: count("INGEST_RECONCILE_HOURS", 6, 0, 24 * 30),
  INGEST_CLOCK_SKEW_S: count("INGEST_CLOCK_SKEW_S", 5, 0, 600),
  INGEST_BACKFILL_HOURS: count("INGEST_BACKFILL_HOURS", 24, 0, 24 * 90),
  SAMPLE_INTERVAL_MS: count("SAMPLE_INTERVAL_MS", 1000, 200, 60_000),
  SAMPLE_RETENTION_HOURS: count("SAMPLE_RETENTION_HOURS", 6, 1, 24 * 30),
  SERIES_RETENTION_DAYS: count("SERIES_RETENTION_DAYS", 7, 1, 365),
  ROLLUP_RETENTION_DAYS: count("ROLLUP_RETENTION_DAYS", 90, 1, 3650),
  REQUEST_RETENTION_DAYS: count("REQUEST_RETENTION_DAYS", 7, 1, 365),
  LITELLM_RATE_LIMIT_WINDOW_SIZE: count("LITELLM_RATE_LIMIT_WINDOW_SIZE", 60, 1, 3600),
};

// `npm start` validates everything the server will read before it starts anything.
const launcherSchema = z.object({ ...sharedShape, ...runnerShape, SIMULATOR_PORT: port("SIMULATOR_PORT", 4000) });

const serverSchema = z
  .object({ ...sharedShape, ...runnerShape })
  .refine((c) => !c.LITELLM_URL || c.LITELLM_MASTER_KEY, {
    message: "LITELLM_MASTER_KEY is required when LITELLM_URL is set (Inflight reads keys and spend logs as admin)",
    path: ["LITELLM_MASTER_KEY"],
  });

function parse<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
  }
  return result.data;
}

function withDatabase<T extends { DATA_DIR: string; INFLIGHT_DATABASE_URL?: string }>(c: T) {
  const dataDir = path.resolve(c.DATA_DIR);
  const databaseUrl = c.INFLIGHT_DATABASE_URL ?? `file:${path.join(dataDir, "inflight.db")}`;
  return { ...c, DATA_DIR: dataDir, INFLIGHT_DATABASE_URL: databaseUrl };
}

export type LauncherConfig = ReturnType<typeof loadLauncherConfig>;
export type ServerConfig = ReturnType<typeof loadServerConfig>;

/** Settings read by `npm start` before it launches Redis, the simulator and the app. */
export function loadLauncherConfig(env: Env = process.env) {
  return withDatabase(parse(launcherSchema, env));
}

/** Settings the app server runs with. The master key never leaves the server. */
export function loadServerConfig(env: Env = process.env) {
  return withDatabase(parse(serverSchema, env));
}

let cached: ServerConfig | undefined;
/** The app server's settings, validated once per process. */
export function serverConfig(): ServerConfig {
  cached ??= loadServerConfig();
  return cached;
}
