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

  it("requires the master key when a proxy URL is given", () => {
    expect(() => loadServerConfig({ LITELLM_URL: "http://127.0.0.1:4000" })).toThrow(/LITELLM_MASTER_KEY is required/);
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
