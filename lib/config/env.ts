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

const litellmKey = (name: string) =>
  z.preprocess(
    emptyAsUnset,
    z
      .string()
      .refine((k) => k.startsWith("sk-"), `${name} must start with sk- (LiteLLM requires it)`)
      .optional(),
  );

const secret = (name: string, minLength: number) =>
  z.preprocess(emptyAsUnset, z.string().min(minLength, `${name} must be at least ${minLength} characters`).optional());

/** A comma-separated list: "a, b" is ["a", "b"]. */
const list = z.preprocess(emptyAsUnset, z.string().optional()).transform((v) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
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
  /** Where the LiteLLM callback (integrations/litellm) writes the live tracker; else INFLIGHT_REDIS_URL, else REDIS_URL, as the callback itself chooses. */
  INFLIGHT_TRACKER_REDIS_URL: redisUrl("INFLIGHT_TRACKER_REDIS_URL"),
  LITELLM_URL: httpUrl("LITELLM_URL"),
  /** The master key or an admin key: reads, and the writes (limit edits, burst tests). */
  LITELLM_MASTER_KEY: litellmKey("LITELLM_MASTER_KEY"),
  /** A read-only key (role proxy_admin_viewer): observing only, edits and burst tests disabled. */
  LITELLM_API_KEY: litellmKey("LITELLM_API_KEY"),
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
  /**
   * The proxy's user_api_key_cache_ttl: how long its workers keep a key's object after it changes.
   * A burst test on the key itself waits this long after allowing mock answers in its metadata.
   */
  LITELLM_KEY_CACHE_TTL_S: count("LITELLM_KEY_CACHE_TTL_S", 60, 0, 3600),
  /** How often the runner follows the tracker's event log. */
  TRACKER_INTERVAL_MS: count("TRACKER_INTERVAL_MS", 500, 50, 60_000),
  /** A tracked request open longer than this lost its end (a client gone before any chunk fires no callback). */
  INFLIGHT_TRACKER_MAX_AGE_S: count("INFLIGHT_TRACKER_MAX_AGE_S", 1800, 10, 86_400),
};

/** Accounts and sign-in (lib/accounts). */
const accountsShape = {
  /** Where operators reach Inflight (the single sign-on redirect and the origin writes must come from). */
  INFLIGHT_PUBLIC_URL: httpUrl("INFLIGHT_PUBLIC_URL"),
  /** Signs session cookies; generated and kept in the store when unset (every instance shares it). */
  INFLIGHT_AUTH_SECRET: secret("INFLIGHT_AUTH_SECRET", 32),
  INFLIGHT_ADMIN_EMAIL: z.preprocess(emptyAsUnset, z.email("INFLIGHT_ADMIN_EMAIL must be an email address").optional()),
  INFLIGHT_ADMIN_PASSWORD: secret("INFLIGHT_ADMIN_PASSWORD", 12),
  INFLIGHT_OIDC_ISSUER: httpUrl("INFLIGHT_OIDC_ISSUER"),
  INFLIGHT_OIDC_CLIENT_ID: z.preprocess(emptyAsUnset, z.string().optional()),
  INFLIGHT_OIDC_CLIENT_SECRET: z.preprocess(emptyAsUnset, z.string().optional()),
  /** The sign-in button's words, e.g. "Okta". */
  INFLIGHT_OIDC_NAME: z.preprocess(emptyAsUnset, z.string().default("single sign-on")),
  /** Members of these groups are admins. */
  INFLIGHT_OIDC_ADMIN_GROUPS: list,
  /** "group=team_id" pairs: members are viewers limited to those teams. */
  INFLIGHT_OIDC_TEAM_GROUPS: list,
  /** When set, only members of these groups (or of an admin or team group) may sign in. */
  INFLIGHT_OIDC_VIEWER_GROUPS: list,
  /** Registered on start as a viewer-scope API token for automation. */
  INFLIGHT_API_TOKEN: secret("INFLIGHT_API_TOKEN", 24),
  /** When set, /metrics and /api/health want `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: secret("METRICS_TOKEN", 16),
};

/** Alerts (lib/alerts): detection, the alert life cycle, delivery, and channels configured by the environment. */
const alertsShape = {
  /** Shown in the header and in every message, e.g. "production". */
  INFLIGHT_ENVIRONMENT: z.preprocess(emptyAsUnset, z.string().max(64, "INFLIGHT_ENVIRONMENT must be at most 64 characters").optional()),
  ALERT_EVAL_INTERVAL_S: count("ALERT_EVAL_INTERVAL_S", 2, 1, 300),
  /** How far back each evaluation re-reads truth: late spend-log rows within it are found. */
  ALERT_LOOKBACK_S: count("ALERT_LOOKBACK_S", 900, 30, 86_400),
  /** An alert resolves only after its key stayed healthy this long. */
  ALERT_RESOLVE_HOLD_S: count("ALERT_RESOLVE_HOLD_S", 300, 0, 86_400),
  /** A firing alert is told again at most this often (Alertmanager's repeat_interval: 4 h). */
  ALERT_REPEAT_INTERVAL_S: count("ALERT_REPEAT_INTERVAL_S", 14_400, 1, 30 * 86_400),
  /** Slack messages gather a rule's alerts over windows this long (Alertmanager's group_wait, 30 s); 0: each at once. */
  ALERT_GROUP_WAIT_S: count("ALERT_GROUP_WAIT_S", 30, 0, 3600),
  /** Stuck and drift wait at most this long for long requests to settle the truth. */
  ALERT_SETTLE_MAX_S: count("ALERT_SETTLE_MAX_S", 300, 0, 86_400),
  ALERT_DELIVERY_INTERVAL_MS: count("ALERT_DELIVERY_INTERVAL_MS", 1000, 100, 60_000),
  ALERT_DELIVERY_TIMEOUT_MS: count("ALERT_DELIVERY_TIMEOUT_MS", 10_000, 100, 120_000),
  /** First retry delay; doubled per attempt (with jitter) up to the max, unless the receiver's Retry-After says more. */
  ALERT_RETRY_BASE_S: count("ALERT_RETRY_BASE_S", 5, 0, 3600),
  ALERT_RETRY_MAX_S: count("ALERT_RETRY_MAX_S", 600, 1, 86_400),
  /** A notification is given up (failed, may be resent) after this many attempts. */
  ALERT_MAX_ATTEMPTS: count("ALERT_MAX_ATTEMPTS", 12, 1, 1000),
  /** A channel failing this many deliveries in a row is paused until an admin resumes it. */
  ALERT_PAUSE_AFTER: count("ALERT_PAUSE_AFTER", 10, 1, 1000),
  /** Targets allowed to resolve to loopback, private or link-local addresses (webhook, Slack, PagerDuty). */
  ALERT_ALLOWED_HOSTS: list,
  ALERT_WEBHOOK_URL: httpUrl("ALERT_WEBHOOK_URL"),
  /** Standard Webhooks secret (whsec_…) the webhook is signed with. */
  ALERT_WEBHOOK_SECRET: secret("ALERT_WEBHOOK_SECRET", 8),
  ALERT_SLACK_WEBHOOK_URL: httpUrl("ALERT_SLACK_WEBHOOK_URL"),
  ALERT_PAGERDUTY_ROUTING_KEY: secret("ALERT_PAGERDUTY_ROUTING_KEY", 8),
  ALERT_PAGERDUTY_URL: httpUrl("ALERT_PAGERDUTY_URL"),
};

// `npm start` validates everything the server will read before it starts anything.
const launcherSchema = z.object({ ...sharedShape, ...runnerShape, ...accountsShape, ...alertsShape, SIMULATOR_PORT: port("SIMULATOR_PORT", 4000) });

const serverSchema = z
  .object({ ...sharedShape, ...runnerShape, ...accountsShape, ...alertsShape })
  .refine((c) => !c.LITELLM_URL || c.LITELLM_MASTER_KEY || c.LITELLM_API_KEY, {
    message:
      "LITELLM_MASTER_KEY (or a read-only LITELLM_API_KEY) is required when LITELLM_URL is set (Inflight reads keys and spend logs with it)",
    path: ["LITELLM_MASTER_KEY"],
  })
  .refine((c) => !c.INFLIGHT_ADMIN_EMAIL === !c.INFLIGHT_ADMIN_PASSWORD, {
    message: "INFLIGHT_ADMIN_EMAIL and INFLIGHT_ADMIN_PASSWORD go together (the first admin's sign-in)",
    path: ["INFLIGHT_ADMIN_PASSWORD"],
  })
  .refine((c) => [c.INFLIGHT_OIDC_ISSUER, c.INFLIGHT_OIDC_CLIENT_ID, c.INFLIGHT_OIDC_CLIENT_SECRET].every((v) => !v === !c.INFLIGHT_OIDC_ISSUER), {
    message: "single sign-on needs INFLIGHT_OIDC_ISSUER, INFLIGHT_OIDC_CLIENT_ID and INFLIGHT_OIDC_CLIENT_SECRET together",
    path: ["INFLIGHT_OIDC_ISSUER"],
  })
  .refine((c) => !c.ALERT_WEBHOOK_URL === !c.ALERT_WEBHOOK_SECRET, {
    message: "ALERT_WEBHOOK_URL and ALERT_WEBHOOK_SECRET go together (every webhook is signed)",
    path: ["ALERT_WEBHOOK_SECRET"],
  })
  .refine((c) => !c.ALERT_PAGERDUTY_URL || c.ALERT_PAGERDUTY_ROUTING_KEY, {
    message: "ALERT_PAGERDUTY_URL needs ALERT_PAGERDUTY_ROUTING_KEY",
    path: ["ALERT_PAGERDUTY_ROUTING_KEY"],
  })
  .refine((c) => c.INFLIGHT_OIDC_TEAM_GROUPS.every((pair) => /^[^=]+=[^=]+$/.test(pair)), {
    message: 'INFLIGHT_OIDC_TEAM_GROUPS is a comma-separated list of "group=team_id" pairs',
    path: ["INFLIGHT_OIDC_TEAM_GROUPS"],
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
