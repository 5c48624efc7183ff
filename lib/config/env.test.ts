import { describe, expect, it } from "vitest";
import path from "node:path";
import { ConfigError, loadLauncherConfig, loadServerConfig } from "./env";

describe("configuration", () => {
  it("fills embedded defaults", () => {
    const c = loadLauncherConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.SIMULATOR_PORT).toBe(4000);
    expect(c.HOST).toBe("127.0.0.1");
    expect(c.DATA_DIR).toBe(path.resolve("data"));
    expect(c.INFLIGHT_DATABASE_URL).toBe(`file:${path.resolve("data", "inflight.db")}`);
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.LITELLM_URL).toBeUndefined();
  });

  it("treats empty values as unset and trims a trailing slash from LITELLM_URL", () => {
    const c = loadServerConfig({ REDIS_URL: "", LITELLM_URL: "http://proxy:4000/", LITELLM_MASTER_KEY: "sk-1234" });
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.LITELLM_URL).toBe("http://proxy:4000");
  });

  it("explains every problem in one readable error", () => {
    let err: unknown;
    try {
      loadServerConfig({ PORT: "eighty", LITELLM_URL: "proxy:4000", REDIS_URL: "localhost:6379", LITELLM_MASTER_KEY: "abc" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as ConfigError).message;
    expect(msg).toContain("PORT: PORT must be a port number");
    expect(msg).toContain("REDIS_URL: REDIS_URL must look like redis://host:6379");
    expect(msg).toContain("LITELLM_MASTER_KEY: LITELLM_MASTER_KEY must start with sk-");
    expect(msg).toMatch(/LITELLM_URL: LITELLM_URL must (be a URL|start with http)/);
  });

  it("requires the master key (or a read-only key) when a proxy URL is given", () => {
    expect(() => loadServerConfig({ LITELLM_URL: "http://127.0.0.1:4000" })).toThrow(/LITELLM_MASTER_KEY \(or a read-only LITELLM_API_KEY\) is required/);
    expect(loadServerConfig({ LITELLM_URL: "http://127.0.0.1:4000", LITELLM_API_KEY: "sk-viewer" }).LITELLM_API_KEY).toBe("sk-viewer");
  });

  it("checks the alert channel settings: a webhook is always signed, a PagerDuty URL needs its routing key, hosts are a list", () => {
    expect(() => loadServerConfig({ ALERT_WEBHOOK_URL: "https://hooks.example.com/x" })).toThrow(/ALERT_WEBHOOK_URL and ALERT_WEBHOOK_SECRET go together/);
    expect(() => loadServerConfig({ ALERT_PAGERDUTY_URL: "https://pd.example.com/v2/enqueue" })).toThrow(/ALERT_PAGERDUTY_URL needs ALERT_PAGERDUTY_ROUTING_KEY/);
    expect(() => loadServerConfig({ ALERT_SLACK_WEBHOOK_URL: "hooks.slack.com/x" })).toThrow(/ALERT_SLACK_WEBHOOK_URL must be a URL/);
    expect(loadServerConfig({ ALERT_ALLOWED_HOSTS: " 127.0.0.1, receiver.internal ," }).ALERT_ALLOWED_HOSTS).toEqual(["127.0.0.1", "receiver.internal"]);
  });

  it("checks the account settings: admin email and password together, all three SSO settings, group pairs", () => {
    expect(() => loadServerConfig({ INFLIGHT_ADMIN_EMAIL: "a@example.com" })).toThrow(/INFLIGHT_ADMIN_EMAIL and INFLIGHT_ADMIN_PASSWORD go together/);
    expect(() => loadServerConfig({ INFLIGHT_ADMIN_EMAIL: "not-an-email", INFLIGHT_ADMIN_PASSWORD: "long-enough-password" })).toThrow(/INFLIGHT_ADMIN_EMAIL must be an email address/);
    expect(() => loadServerConfig({ INFLIGHT_ADMIN_EMAIL: "a@example.com", INFLIGHT_ADMIN_PASSWORD: "short" })).toThrow(/INFLIGHT_ADMIN_PASSWORD must be at least 12 characters/);
    expect(() => loadServerConfig({ INFLIGHT_OIDC_ISSUER: "https://idp.example.com" })).toThrow(/single sign-on needs INFLIGHT_OIDC_ISSUER, INFLIGHT_OIDC_CLIENT_ID and INFLIGHT_OIDC_CLIENT_SECRET together/);
    expect(() => loadServerConfig({ INFLIGHT_OIDC_TEAM_GROUPS: "payments" })).toThrow(/"group=team_id" pairs/);
    const c = loadServerConfig({ INFLIGHT_OIDC_ADMIN_GROUPS: " ops , sre,", INFLIGHT_OIDC_TEAM_GROUPS: "pay=team-pay" });
    expect([c.INFLIGHT_OIDC_ADMIN_GROUPS, c.INFLIGHT_OIDC_TEAM_GROUPS, c.INFLIGHT_OIDC_VIEWER_GROUPS]).toEqual([["ops", "sre"], ["pay=team-pay"], []]);
    expect(() => loadServerConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });

  it("rejects out-of-range ports", () => {
    expect(() => loadLauncherConfig({ SIMULATOR_PORT: "70000" })).toThrow(/SIMULATOR_PORT must be between 1 and 65535/);
  });

  it("keeps Inflight's store apart from LiteLLM's: INFLIGHT_DATABASE_URL, never DATABASE_URL", () => {
    expect(loadServerConfig({ DATABASE_URL: "postgresql://litellm@db/litellm" }).INFLIGHT_DATABASE_URL).toBe(`file:${path.resolve("data", "inflight.db")}`);
    expect(loadServerConfig({ INFLIGHT_DATABASE_URL: "postgresql://inflight:pw@db:5432/inflight" }).INFLIGHT_DATABASE_URL).toBe("postgresql://inflight:pw@db:5432/inflight");
    expect(loadServerConfig({ INFLIGHT_DATABASE_URL: "postgres://db/inflight" }).INFLIGHT_DATABASE_URL).toBe("postgres://db/inflight");
    expect(() => loadServerConfig({ INFLIGHT_DATABASE_URL: "mysql://db/inflight" })).toThrow(/INFLIGHT_DATABASE_URL must be a SQLite URL/);
  });

  it("validates Inflight's own Redis apart from the proxy's", () => {
    expect(loadServerConfig({ INFLIGHT_REDIS_URL: "redis://own:6379" }).INFLIGHT_REDIS_URL).toBe("redis://own:6379");
    expect(() => loadServerConfig({ INFLIGHT_REDIS_URL: "own:6379" })).toThrow(/INFLIGHT_REDIS_URL must look like redis:/);
  });

  it("the launcher checks the runner's settings too, before anything starts", () => {
    expect(() => loadLauncherConfig({ CATALOG_SYNC_INTERVAL_S: "2" })).toThrow(/CATALOG_SYNC_INTERVAL_S: CATALOG_SYNC_INTERVAL_S must be at least 5/);
  });
});

/** The problems a ConfigError lists (one line per bad setting), or [] when the env loads. */
function problems(load: (env: Record<string, string>) => unknown, env: Record<string, string>): string[] {
  try {
    load(env);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems;
  }
}

describe("numeric settings: bounds", () => {
  // The spec of every whole-number setting: [name, default, min, max].
  const COUNTS: [string, number, number, number][] = [
    ["LITELLM_TIMEOUT_MS", 10_000, 100, 120_000],
    ["RUNNER_LEASE_TTL_S", 15, 2, 300],
    ["CATALOG_SYNC_INTERVAL_S", 30, 5, 3600],
    ["INGEST_POLL_INTERVAL_S", 5, 1, 300],
    ["INGEST_MAX_REQUEST_S", 900, 10, 86_400],
    ["INGEST_FLUSH_LAG_S", 70, 0, 3600],
    ["INGEST_RECONCILE_INTERVAL_S", 300, 5, 86_400],
    ["INGEST_RECONCILE_HOURS", 6, 0, 720],
    ["INGEST_CLOCK_SKEW_S", 5, 0, 600],
    ["INGEST_BACKFILL_HOURS", 24, 0, 2160],
    ["SAMPLE_INTERVAL_MS", 1000, 200, 60_000],
    ["SAMPLE_RETENTION_HOURS", 6, 1, 720],
    ["SERIES_RETENTION_DAYS", 7, 1, 365],
    ["ROLLUP_RETENTION_DAYS", 90, 1, 3650],
    ["REQUEST_RETENTION_DAYS", 7, 1, 365],
    ["LITELLM_RATE_LIMIT_WINDOW_SIZE", 60, 1, 3600],
    ["LITELLM_KEY_CACHE_TTL_S", 60, 0, 3600],
    ["TRACKER_INTERVAL_MS", 500, 50, 60_000],
    ["INFLIGHT_TRACKER_MAX_AGE_S", 1800, 10, 86_400],
    ["ALERT_EVAL_INTERVAL_S", 2, 1, 300],
    ["ALERT_LOOKBACK_S", 900, 30, 86_400],
    ["ALERT_RESOLVE_HOLD_S", 300, 0, 86_400],
    ["ALERT_REPEAT_INTERVAL_S", 14_400, 1, 30 * 86_400],
    ["ALERT_GROUP_WAIT_S", 30, 0, 3600],
    ["ALERT_SETTLE_MAX_S", 300, 0, 86_400],
    ["ALERT_DELIVERY_INTERVAL_MS", 1000, 100, 60_000],
    ["ALERT_DELIVERY_TIMEOUT_MS", 10_000, 100, 120_000],
    ["ALERT_RETRY_BASE_S", 5, 0, 3600],
    ["ALERT_RETRY_MAX_S", 600, 1, 86_400],
    ["ALERT_MAX_ATTEMPTS", 12, 1, 1000],
    ["ALERT_PAUSE_AFTER", 10, 1, 1000],
  ];
  const PORTS: [string, number][] = [
    ["PORT", 3000],
    ["SIMULATOR_PORT", 4000],
  ];
  const GARBAGE = ["abc", "12abc", "NaN", "Infinity", "--5", "5 5"];
  const defaults = loadLauncherConfig({}) as Record<string, unknown>;
  const server = loadServerConfig({}) as Record<string, unknown>;
  /** Both loaders where the server reads the setting too (SIMULATOR_PORT is the launcher's only). */
  const loaders = (name: string) => (name in server ? [loadLauncherConfig, loadServerConfig] : [loadLauncherConfig]);

  it("the tables below cover every numeric setting", () => {
    const numeric = Object.keys(defaults).filter((k) => typeof defaults[k] === "number");
    expect(numeric.sort()).toEqual([...COUNTS.map(([n]) => n), ...PORTS.map(([n]) => n)].sort());
  });

  it.each(COUNTS)("%s: default %i, accepts %i to %i, rejects one past either end, fractions and garbage", (name, fallback, min, max) => {
    for (const load of loaders(name)) {
      const value = (v: string) => (load({ [name]: v }) as Record<string, unknown>)[name];
      expect((load({}) as Record<string, unknown>)[name]).toBe(fallback);
      expect([value(String(min)), value(String(max))]).toEqual([min, max]);
      expect(problems(load, { [name]: String(min - 1) })).toEqual([`${name}: ${name} must be at least ${min}`]);
      expect(problems(load, { [name]: String(max + 1) })).toEqual([`${name}: ${name} must be at most ${max}`]);
      expect(problems(load, { [name]: `${min}.5` })).toEqual([`${name}: ${name} must be a whole number`]);
      for (const junk of GARBAGE) expect([junk, problems(load, { [name]: junk })]).toEqual([junk, [`${name}: ${name} must be a number`]]);
    }
  });

  it.each(PORTS)("%s: default %i, accepts 1 to 65535, rejects 0, 65536, fractions and garbage", (name, fallback) => {
    for (const load of loaders(name)) {
      const value = (v: string) => (load({ [name]: v }) as Record<string, unknown>)[name];
      expect((load({}) as Record<string, unknown>)[name]).toBe(fallback);
      expect([value("1"), value("65535")]).toEqual([1, 65535]);
      for (const out of ["0", "-1", "65536"]) expect(problems(load, { [name]: out })).toEqual([`${name}: ${name} must be between 1 and 65535`]);
      expect(problems(load, { [name]: "80.5" })).toEqual([`${name}: ${name} must be a whole number`]);
      for (const junk of GARBAGE) expect([junk, problems(load, { [name]: junk })]).toEqual([junk, [`${name}: ${name} must be a port number`]]);
    }
  });

  it("lists one line per bad setting, in one error", () => {
    const env = { PORT: "0", SAMPLE_INTERVAL_MS: "199", LITELLM_TIMEOUT_MS: "fast", REQUEST_RETENTION_DAYS: "1.5" };
    let message = "";
    try {
      loadServerConfig(env);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      [
        "Invalid configuration:",
        "  - PORT: PORT must be between 1 and 65535",
        "  - LITELLM_TIMEOUT_MS: LITELLM_TIMEOUT_MS must be a number",
        "  - SAMPLE_INTERVAL_MS: SAMPLE_INTERVAL_MS must be at least 200",
        "  - REQUEST_RETENTION_DAYS: REQUEST_RETENTION_DAYS must be a whole number",
      ].join("\n"),
    );
  });
});

describe("an empty value means unset", () => {
  // Settings with a default come back from loadLauncherConfig({}); those without (URLs, the key) do not.
  const OPTIONAL = ["REDIS_URL", "INFLIGHT_REDIS_URL", "LITELLM_URL", "LITELLM_MASTER_KEY"];
  const defaults = loadLauncherConfig({}) as Record<string, unknown>;
  const ALL = [...Object.keys(defaults), ...OPTIONAL];

  it.each(ALL)("%s: empty or blank gives the default", (name) => {
    for (const blank of ["", "  "]) {
      expect(loadLauncherConfig({ [name]: blank })).toEqual(defaults);
      if (name !== "SIMULATOR_PORT") expect(loadServerConfig({ [name]: blank })).toEqual(loadServerConfig({}));
    }
  });

  it("every setting empty at once is the defaults (PORT='' used to be rejected as out of range)", () => {
    const empty = Object.fromEntries(ALL.map((k) => [k, ""]));
    expect(loadLauncherConfig(empty)).toEqual(defaults);
    expect(loadLauncherConfig(empty).PORT).toBe(3000);
    expect(loadLauncherConfig(empty).LITELLM_TIMEOUT_MS).toBe(10_000);
  });
});
