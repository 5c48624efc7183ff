/** Command-line flags of the simulator: parsing and validation (one readable line per error). */
import { PARALLEL_REQUEST_SLOT_TTL_SECONDS } from "./scripts";

export type LimiterMode = "gauge" | "windowed" | "legacy";

export interface SimConfig {
  port: number;
  masterKey: string;
  redisUrl: string | null;
  limiter: LimiterMode;
  workers: number;
  /** Rate-limit window in seconds (LITELLM_RATE_LIMIT_WINDOW_SIZE). Integer, like LiteLLM's int(). */
  window: number;
  /** Spend-log batch write interval in seconds (proxy_batch_write_at). May be fractional to compress time. */
  flushInterval: number;
  /** Seconds a spend-log row is held after its request ended before it enters the write queue (slow database). */
  spendLogDelay: number;
  latencyMinMs: number;
  latencyMaxMs: number;
  stuckOnTimeout: boolean;
  /** #27955: requests that complete on a LITELLM_METADATA_ROUTES route never release their gauge slot (gauge only). */
  leakMetadataRoutes: boolean;
  /** Seconds the gauge's acquire script gives a slot (PARALLEL_REQUEST_SLOT_TTL_SECONDS, hard-coded 3600 in LiteLLM). */
  slotTtl: number;
  upstreamErrorRate: number;
  demo: boolean;
  seedSpendLogs: number;
  /** Where the key table is kept across restarts; null keeps it in memory only. */
  dataDir: string | null;
  /** Seed of every random choice (rng.ts); null draws one at start. */
  seed: number | null;
  /** A virtual key owned by a `proxy_admin_viewer` user (read-only admin); null: none. */
  viewerKey: string | null;
  /** `litellm_settings.upperbound_key_generate_params`, the fields the simulator takes (each null when not set). */
  upperbound: Upperbound;
  /** `--tracker`: the Redis Inflight's tracker callback writes to (docs/tracker-layout.md); null: no tracker mounted. */
  trackerRedisUrl: string | null;
}

/** The numeric fields of LiteLLM_UpperboundKeyGenerateParams the simulator knows (max_budget and durations are not flags). */
export interface Upperbound {
  rpm_limit: number | null;
  tpm_limit: number | null;
  max_parallel_requests: number | null;
}

export class UsageError extends Error {}

/** Upper bound of the spend-log delay, for the flag and for POST /sim/spend-logs/delay alike. */
export const MAX_SPEND_LOG_DELAY_S = 86_400;

export const HELP = `usage: npm run simulator -- [flags]
  --port N                    port on 127.0.0.1 (default 4000; 0 takes a free one, printed when listening)
  --master-key sk-...         proxy master key (default sk-master, or env LITELLM_MASTER_KEY)
  --redis-url URL             Redis for limiter state (default: none, counters in process memory)
  --limiter gauge|windowed|legacy   limiter era (default windowed)
  --workers N                 simulated uvicorn workers (default 1)
  --window S                  rate-limit window in seconds (default 60)
  --flush-interval S          spend-log batch write interval in seconds (default 10)
  --spend-log-delay S         spend-log rows reach the write queue S seconds after their request ended,
                              on top of the flush interval: a slow database (default 0)
  --latency MIN-MAX           simulated model latency in ms (default 500-3000)
  --stuck-on-timeout          upstream timeouts never release their concurrency count
  --leak-metadata-routes      (gauge only) LiteLLM #27955: a request that completes on /v1/messages,
                              /responses or /v1/responses never releases its max_parallel_requests slot
  --slot-ttl S                (gauge only) seconds a gauge slot lives, in Redis and in memory (default 3600,
                              LiteLLM's hard-coded PARALLEL_REQUEST_SLOT_TTL_SECONDS)
  --upstream-error-rate P     probability 0..1 of a random upstream 502/504 (default 0)
  --demo                      run the built-in traffic generator over demo keys
  --seed-spend-logs N         preload N spend-log rows spread over the last 24 h
  --data-dir DIR              keep keys across restarts in DIR/keys.json (default: memory only)
  --seed N                    seed of every random choice (demo traffic, latency, errors, flush jitter,
                              seeded rows), 0..4294967295, so a run replays them (default: a new one each start)
  --viewer-key sk-...         also register this key for a proxy_admin_viewer user: read routes only
                              (default: none, or env LITELLM_VIEWER_KEY)
  --upperbound-rpm N          upperbound_key_generate_params.rpm_limit: /key/generate and /key/update refuse
                              a larger rpm_limit (400); /key/generate also fills it in when omitted (default: none)
  --upperbound-tpm N          the same for tpm_limit
  --upperbound-max-parallel N the same for max_parallel_requests
  --tracker                   behave as a proxy with Inflight's tracker callback mounted: write the Redis layout
                              of docs/tracker-layout.md (on with --demo whenever a Redis is given)
  --tracker-redis-url URL     the Redis the tracker writes to (default: --redis-url's)
  --help                      print this help`;

const VALUE_FLAGS = new Set([
  "port",
  "master-key",
  "redis-url",
  "limiter",
  "workers",
  "window",
  "flush-interval",
  "spend-log-delay",
  "latency",
  "upstream-error-rate",
  "seed-spend-logs",
  "data-dir",
  "seed",
  "viewer-key",
  "upperbound-rpm",
  "upperbound-tpm",
  "upperbound-max-parallel",
  "slot-ttl",
  "tracker-redis-url",
]);
const BOOL_FLAGS = new Set(["stuck-on-timeout", "leak-metadata-routes", "demo", "tracker", "help"]);

function intIn(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be an integer, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${raw}`);
  return n;
}

function numIn(name: string, raw: string, min: number, max: number, minExclusive = false): number {
  if (!/^\d+(\.\d+)?$/.test(raw)) throw new UsageError(`--${name} must be a number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || (minExclusive && n === min) || n > max) {
    throw new UsageError(`--${name} must be ${minExclusive ? "greater than" : "at least"} ${min} and at most ${max}, got ${raw}`);
  }
  return n;
}

/** Parses argv (without node/script). Throws UsageError with a one-line message; returns "help" for --help. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): SimConfig | "help" {
  const given = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}" (flags start with --; see --help)`);
    let name = arg.slice(2);
    let value: string | undefined;
    const eq = name.indexOf("=");
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (BOOL_FLAGS.has(name)) {
      if (value !== undefined) throw new UsageError(`--${name} takes no value`);
      given.set(name, true);
    } else if (VALUE_FLAGS.has(name)) {
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`);
      }
      if (value === "") throw new UsageError(`--${name} needs a value`);
      given.set(name, value);
    } else {
      throw new UsageError(`unknown flag --${name} (see --help)`);
    }
  }
  if (given.has("help")) return "help";
  const str = (n: string) => given.get(n) as string | undefined;

  const cfg: SimConfig = {
    port: 4000,
    masterKey: env.LITELLM_MASTER_KEY || "sk-master",
    redisUrl: null,
    limiter: "windowed",
    workers: 1,
    window: 60,
    flushInterval: 10,
    spendLogDelay: 0,
    latencyMinMs: 500,
    latencyMaxMs: 3000,
    stuckOnTimeout: given.has("stuck-on-timeout"),
    leakMetadataRoutes: given.has("leak-metadata-routes"),
    slotTtl: PARALLEL_REQUEST_SLOT_TTL_SECONDS,
    upstreamErrorRate: 0,
    demo: given.has("demo"),
    seedSpendLogs: 0,
    dataDir: str("data-dir") ?? null,
    seed: null,
    viewerKey: env.LITELLM_VIEWER_KEY || null,
    upperbound: { rpm_limit: null, tpm_limit: null, max_parallel_requests: null },
    trackerRedisUrl: null,
  };
  // 0: the system picks a free port, printed in the "listening" line (no port race for tests).
  if (str("port") !== undefined) cfg.port = intIn("port", str("port")!, 0, 65535);
  if (str("master-key") !== undefined) cfg.masterKey = str("master-key")!;
  if (!cfg.masterKey.startsWith("sk-")) throw new UsageError(`--master-key must start with "sk-" (LiteLLM requires it)`);
  const redisUrl = (flag: string) => {
    const u = str(flag);
    if (u !== undefined && !/^rediss?:\/\/[^\s]+$/.test(u)) throw new UsageError(`--${flag} must look like redis://host:port, got "${u}"`);
    return u ?? null;
  };
  cfg.redisUrl = redisUrl("redis-url");
  const trackerUrl = redisUrl("tracker-redis-url");
  if (trackerUrl !== null && !given.has("tracker") && !cfg.demo) throw new UsageError(`--tracker-redis-url needs --tracker (or --demo)`);
  // The demo mounts the tracker whenever it has a Redis to write to; an explicit --tracker insists on one.
  if (given.has("tracker") || cfg.demo) cfg.trackerRedisUrl = trackerUrl ?? cfg.redisUrl;
  if (given.has("tracker") && cfg.trackerRedisUrl === null) throw new UsageError(`--tracker needs --tracker-redis-url or --redis-url`);
  if (str("limiter") !== undefined) {
    const l = str("limiter")!;
    if (l !== "gauge" && l !== "windowed" && l !== "legacy") {
      throw new UsageError(`--limiter must be gauge, windowed or legacy, got "${l}"`);
    }
    cfg.limiter = l;
  }
  // Both model the era-C gauge (a ZSET of slots); the other limiters have no slots to leak or expire.
  for (const flag of ["leak-metadata-routes", "slot-ttl"]) {
    if (given.has(flag) && cfg.limiter !== "gauge") throw new UsageError(`--${flag} needs --limiter gauge, got ${cfg.limiter}`);
  }
  // Integer seconds: the acquire script scores slots by Redis TIME's whole seconds and EXPIREs the key with it.
  if (str("slot-ttl") !== undefined) cfg.slotTtl = intIn("slot-ttl", str("slot-ttl")!, 1, 86400);
  if (str("workers") !== undefined) cfg.workers = intIn("workers", str("workers")!, 1, 64);
  if (str("window") !== undefined) cfg.window = intIn("window", str("window")!, 1, 86400);
  if (str("flush-interval") !== undefined) cfg.flushInterval = numIn("flush-interval", str("flush-interval")!, 0, 3600, true);
  if (str("spend-log-delay") !== undefined) {
    cfg.spendLogDelay = numIn("spend-log-delay", str("spend-log-delay")!, 0, MAX_SPEND_LOG_DELAY_S);
  }
  if (str("latency") !== undefined) {
    const m = /^(\d+)-(\d+)$/.exec(str("latency")!);
    if (!m) throw new UsageError(`--latency must be MIN-MAX in milliseconds, e.g. 500-3000, got "${str("latency")}"`);
    const [lo, hi] = [Number(m[1]), Number(m[2])];
    if (lo > hi) throw new UsageError(`--latency MIN must not exceed MAX, got ${lo}-${hi}`);
    cfg.latencyMinMs = lo;
    cfg.latencyMaxMs = hi;
  }
  if (str("upstream-error-rate") !== undefined) {
    cfg.upstreamErrorRate = numIn("upstream-error-rate", str("upstream-error-rate")!, 0, 1);
  }
  if (str("seed-spend-logs") !== undefined) cfg.seedSpendLogs = intIn("seed-spend-logs", str("seed-spend-logs")!, 0, 50_000_000);
  if (str("seed") !== undefined) cfg.seed = intIn("seed", str("seed")!, 0, 0xffffffff);
  if (str("viewer-key") !== undefined) cfg.viewerKey = str("viewer-key")!;
  if (cfg.viewerKey !== null) {
    if (!cfg.viewerKey.startsWith("sk-")) throw new UsageError(`--viewer-key must start with "sk-" (a LiteLLM virtual key)`);
    if (cfg.viewerKey === cfg.masterKey) throw new UsageError(`--viewer-key must differ from the master key`);
  }
  // pydantic Optional[int] fields of the config; 0 is a bound too (LiteLLM tests `is not None`).
  const bound = (flag: string) => (str(flag) !== undefined ? intIn(flag, str(flag)!, 0, Number.MAX_SAFE_INTEGER) : null);
  cfg.upperbound = {
    rpm_limit: bound("upperbound-rpm"),
    tpm_limit: bound("upperbound-tpm"),
    max_parallel_requests: bound("upperbound-max-parallel"),
  };
  return cfg;
}
