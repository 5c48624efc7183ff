import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";

/**
 * The secrets a running Inflight server holds, read from the environment `npm start` gave it.
 *
 * scripts/stack.ts draws a new simulator master key on every start and hands it only to the
 * simulator (its command line) and to `next start` (its environment): nothing the browser can
 * reach says it, by design. The test runs as the same user as the stack, so Linux lets it read
 * /proc/<pid>/environ of the server: the one process whose environment says PORT=<its port>,
 * DATA_DIR=<its data folder> and a LITELLM_MASTER_KEY. That is the value the server really uses
 * (not a copy that could drift), and nothing in the product changes for the test to learn it.
 */
export interface ServerSecrets {
  pid: number;
  masterKey: string;
  redisUrl: string;
  databaseUrl: string;
  /** The literal strings that must never reach a browser: the key, each URL whole, and any password in one. */
  needles: Needle[];
}

export interface Needle {
  name: string;
  value: string;
}

/** The settings whose values are secrets, or URLs that may carry one (LiteLLM's own DATABASE_URL too, should the server inherit it). */
export const SECRET_SETTINGS = [
  "LITELLM_MASTER_KEY",
  "LITELLM_API_KEY",
  "REDIS_URL",
  "INFLIGHT_REDIS_URL",
  "INFLIGHT_DATABASE_URL",
  "DATABASE_URL",
  "INFLIGHT_ADMIN_PASSWORD",
  "INFLIGHT_AUTH_SECRET",
  "INFLIGHT_API_TOKEN",
  "INFLIGHT_OIDC_CLIENT_SECRET",
  "METRICS_TOKEN",
  // Alert channels from the environment: a Slack webhook URL is its own secret, as are these.
  "ALERT_SLACK_WEBHOOK_URL",
  "ALERT_WEBHOOK_SECRET",
  "ALERT_PAGERDUTY_ROUTING_KEY",
] as const;

function environOf(pid: string): Record<string, string> | null {
  let raw: string;
  try {
    raw = fs.readFileSync(`/proc/${pid}/environ`, "utf8");
  } catch {
    return null; // gone, or another user's
  }
  const env: Record<string, string> = {};
  for (const kv of raw.split("\0")) {
    const i = kv.indexOf("=");
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return env;
}

/** A URL's password, if it has one (redis://:pw@host, postgresql://user:pw@host). */
export function passwordOf(url: string): string | null {
  try {
    const pw = decodeURIComponent(new URL(url).password);
    return pw || null;
  } catch {
    return null;
  }
}

/** Shorter values would be found by chance in any minified chunk (a password "admin"); the scan says which it skipped. */
const MIN_NEEDLE = 8;

/** Every literal that must not leak, named: each value whole, and the password inside each URL. Empty values are skipped. */
export function needlesFor(settings: Record<string, string | undefined>): Needle[] {
  const needles: Needle[] = [];
  for (const [name, value] of Object.entries(settings)) {
    if (!value) continue;
    needles.push({ name, value });
    const pw = passwordOf(value);
    if (pw) needles.push({ name: `${name} password`, value: pw });
  }
  return needles;
}

/** The needles long enough to search for, and the names of those that are not. */
export function searchable(needles: Needle[]): { needles: Needle[]; tooShort: string[] } {
  return { needles: needles.filter((n) => n.value.length >= MIN_NEEDLE), tooShort: needles.filter((n) => n.value.length < MIN_NEEDLE).map((n) => n.name) };
}

/** The secrets of the Inflight server listening on `port` with data in `dataDir`; throws when there is none. */
export function serverSecrets(port: number, dataDir: string): ServerSecrets {
  const found: ServerSecrets[] = [];
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    const env = environOf(pid);
    if (!env || env.PORT !== String(port) || !env.LITELLM_MASTER_KEY || path.resolve(env.DATA_DIR ?? "") !== path.resolve(dataDir)) continue;
    found.push({
      pid: Number(pid),
      masterKey: env.LITELLM_MASTER_KEY,
      redisUrl: env.REDIS_URL ?? "",
      databaseUrl: env.INFLIGHT_DATABASE_URL ?? "",
      needles: needlesFor(Object.fromEntries(SECRET_SETTINGS.map((n) => [n, env[n]]))),
    });
  }
  if (found.length === 0) {
    throw new Error(`no process with PORT=${port}, DATA_DIR=${dataDir} and a LITELLM_MASTER_KEY in /proc/*/environ: is the e2e stack up, on Linux, as this user?`);
  }
  // `next start` and a server process it forks share one environment; two different sets would be two stacks.
  const sets = new Set(found.map((f) => JSON.stringify(f.needles)));
  if (sets.size > 1) throw new Error(`${found.length} processes claim PORT=${port} with different secrets (pids ${found.map((f) => f.pid).join(", ")})`);
  return found[0];
}

/**
 * Secret settings a build may have seen: this shell's environment and the .env files `next build`
 * loads. A bundle built before `npm start` drew its key cannot hold that key; what can end up in one
 * is what the build itself read.
 */
export function buildTimeNeedles(root: string): Needle[] {
  const settings: Record<string, string | undefined> = {};
  for (const file of [".env", ".env.local", ".env.production", ".env.production.local"]) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(root, file), "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n")) {
      const m = /^\s*(?:export\s+)?([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
      if (m && (SECRET_SETTINGS as readonly string[]).includes(m[1])) settings[`${m[1]} (${file})`] = m[2].replace(/^(['"])(.*)\1$/, "$2");
    }
  }
  for (const name of SECRET_SETTINGS) settings[`${name} (environment)`] = process.env[name];
  return needlesFor(settings);
}

/**
 * A raw virtual key or master key (LiteLLM's `sk-` and url-safe characters, 22 for a generated key):
 * none may reach a browser either. Not inside a longer word ("mask-…", "task-…").
 */
export const RAW_KEY_PATTERN = /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/;

/** The named needles `text` contains, plus any raw-key-looking string. */
export function leaksIn(text: string, needles: Needle[]): string[] {
  const hits = needles.filter((n) => n.value && text.includes(n.value)).map((n) => n.name);
  const raw = RAW_KEY_PATTERN.exec(text);
  if (raw) hits.push(`a raw sk- key (${raw[0].slice(0, 6)}…)`);
  return hits;
}

/**
 * What the store keeps that must never leave the server: every password hash, every session token,
 * and the generated cookie secret (read from the stack's SQLite file, as an attacker with the
 * browser never could).
 */
export function storedSecrets(databaseUrl: string): Needle[] {
  const db = new Database(databaseUrl.replace(/^file:/, ""), { readonly: true, fileMustExist: true });
  try {
    const rows = (sql: string) => db.prepare(sql).all() as { name: string; value: string }[];
    return [
      ...rows(`SELECT 'a password hash' AS name, password AS value FROM auth_account WHERE password IS NOT NULL`),
      ...rows(`SELECT 'a session token' AS name, token AS value FROM auth_session`),
      ...rows(`SELECT 'the generated session secret' AS name, value FROM instance_setting WHERE key = 'auth_secret'`),
    ];
  } finally {
    db.close();
  }
}
