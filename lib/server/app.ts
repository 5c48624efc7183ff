import crypto from "node:crypto";
import os from "node:os";
import type Redis from "ioredis";
import { registerToken } from "../accounts/api-tokens";
import { createAuth, type Auth } from "../accounts/auth";
import { auditAccountChange, createAccount, newSecret } from "../accounts/accounts";
import { teamGroupMap } from "../accounts/oidc-groups";
import { fixedChannels, type FixedChannel } from "../alerts/env-channels";
import { builtInRules } from "../alerts/rules";
import { BurstService } from "../burst/service";
import { serverConfig, type ServerConfig } from "../config/env";
import type { Probes } from "../health/check";
import { notConfigured, probeLiteLLM, probeRedis } from "../health/probes";
import { LiteLLMClient } from "../litellm/client";
import { connectRedis } from "../redis/connection";
import { RedisLease } from "../runner/lease";
import { Runner } from "../runner/runner";
import { openStore } from "../store/open";
import type { Store } from "../store/store";
import { runnerJobs } from "./jobs";

/** The server's shared objects, built once per process. */
export interface App {
  config: ServerConfig;
  store: Store;
  /** The proxy's admin API; null when no proxy is configured. */
  litellm: LiteLLMClient | null;
  /** The Redis the proxy uses (REDIS_URL), read only: LiteLLM's limiter state. */
  proxyRedis: Redis | null;
  /** Inflight's own Redis (INFLIGHT_REDIS_URL, else the proxy's): the runner lease. */
  inflightRedis: Redis | null;
  /**
   * Where the LiteLLM callback writes the live tracker (INFLIGHT_TRACKER_REDIS_URL, else Inflight's
   * own Redis, else the proxy's), and whether Inflight may write there (prune lost ends): not when
   * it is the proxy's Redis, which Inflight only reads.
   */
  tracker: { redis: Redis; canWrite: boolean } | null;
  probes: Probes;
  /** Accounts, sessions and single sign-on (better-auth over the store). */
  auth: Auth;
  /** Origins writes may come from (the public URL's); a request's own host is also accepted. */
  trustedOrigins: string[];
  /**
   * Why limit edits and burst tests are off, or null when they are on: they need the master key
   * (or an admin key); a read-only LITELLM_API_KEY observes only.
   */
  writesDisabled: string | null;
  /** Where operators reach Inflight: links in notifications. */
  publicUrl: string;
  /** The in-app feed and the alert channels the environment configures (their configs stay in memory). */
  fixedChannels: FixedChannel[];
  /** Burst tests run from the UI and the API; null when writes are off (`writesDisabled`). */
  bursts: BurstService | null;
}

/** The composition root: builds config, store, LiteLLM client and Redis connections from the settings. */
export async function buildApp(config: ServerConfig): Promise<App> {
  const store = await openStore(config.INFLIGHT_DATABASE_URL);
  const litellmKey = config.LITELLM_MASTER_KEY ?? config.LITELLM_API_KEY;
  const litellm =
    config.LITELLM_URL && litellmKey ? new LiteLLMClient({ baseUrl: config.LITELLM_URL, apiKey: litellmKey, timeoutMs: config.LITELLM_TIMEOUT_MS }) : null;
  const proxyRedis = config.REDIS_URL ? quietRedis(config.REDIS_URL) : null;
  const ownUrl = config.INFLIGHT_REDIS_URL ?? config.REDIS_URL;
  const inflightRedis = !ownUrl ? null : ownUrl === config.REDIS_URL ? proxyRedis : quietRedis(ownUrl);
  const trackerUrl = config.INFLIGHT_TRACKER_REDIS_URL ?? ownUrl;
  const trackerRedis = !trackerUrl ? null : trackerUrl === ownUrl ? inflightRedis : quietRedis(trackerUrl);
  const baseURL = config.INFLIGHT_PUBLIC_URL ?? `http://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${config.PORT}`;
  const auth = createAuth(store, {
    baseURL,
    secret: config.INFLIGHT_AUTH_SECRET ?? (await store.settings.claim("auth_secret", newSecret())),
    oidc: config.INFLIGHT_OIDC_ISSUER
      ? {
          issuer: config.INFLIGHT_OIDC_ISSUER,
          clientId: config.INFLIGHT_OIDC_CLIENT_ID!,
          clientSecret: config.INFLIGHT_OIDC_CLIENT_SECRET!,
          rules: {
            adminGroups: config.INFLIGHT_OIDC_ADMIN_GROUPS,
            teamGroups: teamGroupMap(config.INFLIGHT_OIDC_TEAM_GROUPS),
            viewerGroups: config.INFLIGHT_OIDC_VIEWER_GROUPS,
          },
        }
      : null,
  });
  await seedAccess(config, store, auth);
  const channels = fixedChannels(config);
  const writesDisabled = !litellm
    ? "No LiteLLM proxy is configured (LITELLM_URL)"
    : config.LITELLM_MASTER_KEY
      ? null
      : "Inflight has only a read-only LiteLLM key (LITELLM_API_KEY): set LITELLM_MASTER_KEY (the master key or an admin key) to edit limits and run burst tests";
  await store.alerts.syncFixedChannels(channels.map((c) => c.row), Date.now());
  await store.alerts.ensureRules(builtInRules(Date.now()));
  return {
    config,
    store,
    litellm,
    proxyRedis,
    inflightRedis,
    tracker: trackerRedis && { redis: trackerRedis, canWrite: trackerUrl !== config.REDIS_URL },
    probes: {
      litellm: () => (litellm ? probeLiteLLM(litellm) : Promise.resolve(notConfigured("LITELLM_URL"))),
      redis: () => (proxyRedis ? probeRedis(proxyRedis) : Promise.resolve(notConfigured("REDIS_URL"))),
    },
    auth,
    trustedOrigins: [new URL(baseURL).origin],
    writesDisabled,
    publicUrl: baseURL,
    fixedChannels: channels,
    bursts:
      litellm && !writesDisabled
        ? new BurstService({
            bursts: store.bursts,
            audit: store.audit,
            litellm,
            proxyUrl: config.LITELLM_URL!,
            windowS: config.LITELLM_RATE_LIMIT_WINDOW_SIZE,
            keyCacheTtlS: config.LITELLM_KEY_CACHE_TTL_S,
            flushLagS: config.INGEST_FLUSH_LAG_S,
            skewS: config.INGEST_CLOCK_SKEW_S,
            log: console,
          })
        : null,
  };
}

/**
 * What the environment asks for at start: the first admin (INFLIGHT_ADMIN_EMAIL and _PASSWORD,
 * made once: a later change of the password does not overwrite one set in the UI) and the
 * automation token (INFLIGHT_API_TOKEN, viewer scope).
 */
async function seedAccess(config: ServerConfig, store: Store, auth: Auth): Promise<void> {
  if (config.INFLIGHT_ADMIN_EMAIL && config.INFLIGHT_ADMIN_PASSWORD) {
    const ctx = await auth.$context;
    if (!(await ctx.internalAdapter.findUserByEmail(config.INFLIGHT_ADMIN_EMAIL.toLowerCase()))) {
      try {
        const a = await createAccount(auth, { email: config.INFLIGHT_ADMIN_EMAIL, password: config.INFLIGHT_ADMIN_PASSWORD, role: "admin", teams: null });
        await auditAccountChange(store.audit, null, "account.create", a.email, null, { role: "admin", source: "INFLIGHT_ADMIN_EMAIL" });
      } catch (e) {
        // Another replica starting at the same moment made it first.
        if (!(await ctx.internalAdapter.findUserByEmail(config.INFLIGHT_ADMIN_EMAIL.toLowerCase()))) throw e;
      }
    }
  }
  if (config.INFLIGHT_API_TOKEN) await registerToken(store.tokens, config.INFLIGHT_API_TOKEN, { name: "INFLIGHT_API_TOKEN", scope: "viewer" });
}

/** Closes what buildApp opened. */
export async function closeApp(app: App): Promise<void> {
  const connections = new Set([app.proxyRedis, app.inflightRedis, app.tracker?.redis]);
  for (const r of connections) r?.disconnect();
  await app.store.close();
}

function quietRedis(url: string): Redis {
  const r = connectRedis(url);
  r.on("error", () => undefined); // reported through the health probes and job status; ioredis reconnects
  return r;
}

const globalForApp = globalThis as unknown as { inflightApp?: Promise<App>; inflightRunner?: Runner | null };

/** This server process's App (kept on globalThis so dev reloads reuse it). */
export function app(): Promise<App> {
  globalForApp.inflightApp ??= buildApp(serverConfig());
  return globalForApp.inflightApp;
}

/** A runner over an App: the background jobs, run by whichever instance holds the lease. */
export function createRunner(a: App, log: { warn(msg: string): void; info(msg: string): void } = console): Runner | null {
  if (!a.litellm) return null;
  const leaseTtlMs = a.config.RUNNER_LEASE_TTL_S * 1000;
  const holderId = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
  return new Runner({
    jobs: runnerJobs({ config: a.config, store: a.store, client: a.litellm, proxyRedis: a.proxyRedis, tracker: a.tracker, log, publicUrl: a.publicUrl, fixedChannels: a.fixedChannels }),
    status: a.store.jobs,
    lease: a.inflightRedis ? new RedisLease(a.inflightRedis, holderId, leaseTtlMs) : null,
    leaseTtlMs,
    holderId,
    log,
  });
}

/** Starts this process's runner once (it then competes for the lease); stops it when the process ends. */
export async function startAppRunner(): Promise<Runner | null> {
  if (globalForApp.inflightRunner !== undefined) return globalForApp.inflightRunner;
  const a = await app();
  if (!a.config.RUNNER_ENABLED) {
    console.info("[runner] RUNNER_ENABLED=false: this instance only serves pages");
    return (globalForApp.inflightRunner = null);
  }
  const runner = createRunner(a);
  globalForApp.inflightRunner = runner;
  if (!runner) {
    console.warn("[runner] no LiteLLM proxy configured (LITELLM_URL): nothing to observe");
    return null;
  }
  runner.start();
  const stop = () => void runner.stop().finally(() => closeApp(a));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return runner;
}
