import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStore, type TestStore } from "../../tests/support/store";
import { startRedis, type TestRedis } from "../../tests/support/redis";
import { freePort } from "../../tests/support/ports";
import { connectRedis } from "../redis/connection";
import { LiteLLMClient } from "../litellm/client";
import { checkServices, PROBE_REUSE_MS } from "./check";
import { probeLiteLLM, probeRedis } from "./probes";

let store: TestStore;
let redis: TestRedis;

beforeAll(async () => {
  [store, redis] = await Promise.all([createTestStore("sqlite"), startRedis()]);
});
afterAll(async () => {
  await Promise.all([store?.close(), redis?.stop()]);
});

describe("checkServices against a real Redis and an absent proxy", () => {
  it("records Redis as answering and LiteLLM as unreachable, and keeps last-answered across a Redis outage", async () => {
    const conn = connectRedis(redis.url);
    conn.on("error", () => undefined);
    const deadProxy = new LiteLLMClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, apiKey: "sk-x", timeoutMs: 1_000 });
    const probes = { litellm: () => probeLiteLLM(deadProxy), redis: () => probeRedis(conn) };

    const t0 = new Date();
    const first = await checkServices(store.store.services, probes, t0);
    const byName = Object.fromEntries(first.map((s) => [s.service, s]));
    expect(byName.redis.ok).toBe(true);
    expect(byName.redis.lastOkAt).not.toBeNull();
    expect(byName.litellm.ok).toBe(false);
    expect(byName.litellm.error).toMatch(/unreachable: ECONNREFUSED/);

    // Within the reuse window the stored answer is served without probing again.
    const again = await checkServices(store.store.services, probes, new Date(t0.getTime() + 10));
    expect(again.find((s) => s.service === "redis")!.checkedAt).toEqual(byName.redis.checkedAt);

    await redis.stop();
    const later = await checkServices(store.store.services, probes, new Date(Date.now() + PROBE_REUSE_MS + 1));
    const r = later.find((s) => s.service === "redis")!;
    expect(r.ok).toBe(false);
    expect(r.lastOkAt).toEqual(byName.redis.lastOkAt);
    expect(r.downSince).not.toBeNull();
    conn.disconnect();
  });
});
