import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../../tests/support/redis";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { newKey, request } from "./helpers";

const VIEWER = "sk-viewer-coordination";
const FIELD_NAMES = ["host", "port", "username", "password", "url", "ssl", "startup_nodes", "sentinel_nodes", "sentinel_password", "service_name"];

describe("GET /coordination_redis/settings (v1.93+): where the limiter's Redis comes from", () => {
  let redis: TestRedis;
  let withRedis: TestSimulator;
  let perWorker: TestSimulator;
  let windowed: TestSimulator;

  beforeAll(async () => {
    redis = await startRedis();
    [withRedis, perWorker, windowed] = await Promise.all([
      startSimulator(["--limiter", "gauge", "--redis-url", redis.url, "--viewer-key", VIEWER]),
      startSimulator(["--limiter", "gauge"]),
      startSimulator(["--limiter", "windowed", "--redis-url", redis.url]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([withRedis?.stop(), perWorker?.stop(), windowed?.stop()]);
    await redis?.stop();
  });

  it('answers source "environment" with --redis-url, with an empty values block and the settings fields', async () => {
    const r = await request(withRedis, "GET", "/coordination_redis/settings");
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(["values", "fields", "source"]);
    expect(r.json.source).toBe("environment");
    expect(r.json.values).toEqual({});
    expect(r.json.fields.map((f: { field_name: string }) => f.field_name)).toEqual(FIELD_NAMES);
    expect(r.json.fields[1]).toEqual({
      field_name: "port",
      field_type: "Integer",
      field_value: null,
      field_description: "Redis server port number",
      field_default: 6379,
      ui_field_name: "Port",
      section: "connection",
    });
  });

  it("answers source null without Redis: every worker counts on its own", async () => {
    const r = await request(perWorker, "GET", "/coordination_redis/settings");
    expect(r.status).toBe(200);
    expect(r.json.source).toBeNull();
    expect(r.json.values).toEqual({});
  });

  it("lets the master key and a proxy_admin_viewer key read it; refuses other keys at the route check, and no key", async () => {
    const viewer = await request(withRedis, "GET", "/coordination_redis/settings", { key: VIEWER });
    expect(viewer.status).toBe(200);
    expect(viewer.json.source).toBe("environment");

    const { key } = await newKey(withRedis, {});
    const plain = await request(withRedis, "GET", "/coordination_redis/settings", { key });
    expect(plain.status).toBe(401);
    expect(plain.json.error).toEqual({
      message:
        "Authentication Error, Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=/coordination_redis/settings. Your role=unknown. Your user_id=unknown",
      type: "auth_error",
      param: "None",
      code: "401",
    });

    const none = await request(withRedis, "GET", "/coordination_redis/settings", { key: null });
    expect(none.status).toBe(401);
    expect(none.json.error.message).toBe("Authentication Error, No api key passed in.");
  });

  it("does not exist in the older eras (windowed, legacy): FastAPI's 404", async () => {
    const r = await request(windowed, "GET", "/coordination_redis/settings");
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ detail: "Not Found" });
  });
});
