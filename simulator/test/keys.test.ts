import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { chat, newKey, request, waitFor } from "./helpers";

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
const ERROR_SHAPE = { message: expect.any(String), type: expect.anything(), param: expect.anything(), code: expect.any(String) };

describe("key management (§3, §9.4, §9.6)", () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startSimulator(["--master-key", "sk-test-master"]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("generates sk- + 22 url-safe chars, identified by sha256 hex", async () => {
    const r = await request(sim, "POST", "/key/generate", {
      body: { key_alias: "gen-1", max_parallel_requests: 7, tpm_limit: 1000, rpm_limit: 60, metadata: { team: "x" }, models: ["gpt-4o"] },
    });
    expect(r.status).toBe(200);
    expect(r.json.key).toMatch(/^sk-[A-Za-z0-9_-]{22}$/);
    expect(r.json.token_id).toBe(sha256(r.json.key));
    expect(r.json.key_name).toBe(`sk-...${r.json.key.slice(-4)}`);
    expect(r.json).toMatchObject({ key_alias: "gen-1", max_parallel_requests: 7, tpm_limit: 1000, rpm_limit: 60, metadata: { team: "x" }, models: ["gpt-4o"] });
    expect(r.json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    const dup = await request(sim, "POST", "/key/generate", { body: { key_alias: "gen-1" } });
    expect(dup.status).toBe(400);
    const bad = await request(sim, "POST", "/key/generate", { body: { max_parallel_requests: "lots" } });
    expect(bad.status).toBe(422);
    expect(bad.json.detail[0]).toMatchObject({ type: "int_parsing", loc: ["body", "max_parallel_requests"] });
  });

  it("/key/info by raw key or hash returns {key, info} without token; 404 when unknown", async () => {
    const { key, hash } = await newKey(sim, { key_alias: "info-1", max_parallel_requests: 3 });
    for (const k of [key, hash]) {
      const r = await request(sim, "GET", `/key/info?key=${encodeURIComponent(k)}`);
      expect(r.status).toBe(200);
      expect(r.json.key).toBe(k);
      expect(r.json.info).toMatchObject({ key_alias: "info-1", max_parallel_requests: 3, spend: 0, blocked: null, metadata: {} });
      expect(r.json.info).not.toHaveProperty("token");
    }
    const missing = await request(sim, "GET", `/key/info?key=${"0".repeat(64)}`);
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ ...ERROR_SHAPE, code: "404" });
    expect(missing.json.error.message).toContain("Key not found in database");
    // a virtual key may read its own info, not another key's
    expect((await request(sim, "GET", "/key/info", { key })).status).toBe(200);
    const other = await newKey(sim, {});
    expect((await request(sim, "GET", `/key/info?key=${other.hash}`, { key })).status).toBe(403);
  });

  it("/key/update: omitted fields unchanged, explicit null clears, metadata replaced whole, model limits kept in metadata", async () => {
    const { hash } = await newKey(sim, {
      key_alias: "upd-1",
      max_parallel_requests: 4,
      tpm_limit: 500,
      rpm_limit: 50,
      metadata: { allow_client_mock_response: true, owner: "a" },
    });
    const r1 = await request(sim, "POST", "/key/update", { body: { key: hash, rpm_limit: 70 } });
    expect(r1.status).toBe(200);
    expect(r1.json.key).toBe(hash);
    expect(r1.json.token).toBe(hash);
    expect(r1.json).toMatchObject({ max_parallel_requests: 4, tpm_limit: 500, rpm_limit: 70, metadata: { allow_client_mock_response: true, owner: "a" } });
    expect(r1.json.updated_at).toMatch(/\+00:00$/);

    const r2 = await request(sim, "POST", "/key/update", { body: { key: hash, max_parallel_requests: null, metadata: { owner: "b" } } });
    expect(r2.json.max_parallel_requests).toBeNull();
    expect(r2.json.tpm_limit).toBe(500);
    expect(r2.json.metadata).toEqual({ owner: "b" }); // allow_client_mock_response is gone

    const r3 = await request(sim, "POST", "/key/update", { body: { key: hash, model_rpm_limit: { "gpt-4o": 5 } } });
    expect(r3.json.metadata).toEqual({ owner: "b", model_rpm_limit: { "gpt-4o": 5 } });
    const info = await request(sim, "GET", `/key/info?key=${hash}`);
    expect(info.json.info).toMatchObject({ max_parallel_requests: null, tpm_limit: 500, rpm_limit: 70, metadata: { owner: "b", model_rpm_limit: { "gpt-4o": 5 } } });

    const missing = await request(sim, "POST", "/key/update", { body: { key: "f".repeat(64), rpm_limit: 1 } });
    expect(missing.status).toBe(404);
  });

  it("/key/list pages hashes or full objects, filters and sorts, validates size and sort_by", async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await newKey(sim, { key_alias: `list-${i}`, team_id: "team-list", max_parallel_requests: i + 1 }));
    const all = await request(sim, "GET", "/key/list?team_id=team-list&size=2&page=1");
    expect(all.status).toBe(200);
    expect(all.json).toMatchObject({ total_count: 5, current_page: 1, total_pages: 3 });
    // default order: created_at desc
    expect(all.json.keys).toEqual([made[4].hash, made[3].hash]);
    const p3 = await request(sim, "GET", "/key/list?team_id=team-list&size=2&page=3");
    expect(p3.json.keys).toEqual([made[0].hash]);
    const full = await request(sim, "GET", "/key/list?team_id=team-list&return_full_object=true&sort_by=key_alias&sort_order=asc&size=100");
    expect(full.json.keys.map((k: { key_alias: string }) => k.key_alias)).toEqual(["list-0", "list-1", "list-2", "list-3", "list-4"]);
    const obj = full.json.keys[0];
    expect(obj.token).toBe(made[0].hash);
    expect(obj).toMatchObject({ max_parallel_requests: 1, team_id: "team-list", tpm_limit: null, rpm_limit: null, org_id: null, blocked: null });
    expect(obj.created_at).toMatch(/Z$/);
    const byHash = await request(sim, "GET", `/key/list?key_hash=${made[2].hash}`);
    expect(byHash.json.keys).toEqual([made[2].hash]);
    const byAlias = await request(sim, "GET", "/key/list?key_alias=list-3");
    expect(byAlias.json.keys).toEqual([made[3].hash]);
    expect((await request(sim, "GET", "/key/list?size=101")).status).toBe(422);
    expect((await request(sim, "GET", "/key/list?page=0")).status).toBe(422);
    expect((await request(sim, "GET", "/key/list?sort_by=password")).status).toBe(400);
  });

  it("/key/delete by keys or aliases; deleted keys are refused like unknown ones", async () => {
    const a = await newKey(sim, { key_alias: "del-a" });
    const b = await newKey(sim, { key_alias: "del-b" });
    const r = await request(sim, "POST", "/key/delete", { body: { keys: [a.key] } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ deleted_keys: [a.key] });
    const r2 = await request(sim, "POST", "/key/delete", { body: { key_aliases: ["del-b"] } });
    expect(r2.json).toEqual({ deleted_keys: ["del-b"] });
    expect((await request(sim, "GET", `/key/info?key=${b.hash}`)).status).toBe(404);
    const again = await request(sim, "POST", "/key/delete", { body: { keys: [a.hash] } });
    expect(again.status).toBe(400);
    const used = await chat(sim, a.key, {});
    expect(used.status).toBe(401);
    expect(used.json.error.type).toBe("token_not_found_in_db");
  });

  it("blocks and unblocks: a blocked key gets 401 auth_error", async () => {
    const { key, hash } = await newKey(sim, { metadata: { allow_client_mock_response: true } });
    const blocked = await request(sim, "POST", "/key/block", { body: { key: hash } });
    expect(blocked.status).toBe(200);
    expect(blocked.json).toMatchObject({ token: hash, blocked: true });
    const r = await chat(sim, key, { mock_response: "x" });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({
      error: { message: "Authentication Error, Key is blocked. Update via `/key/unblock` if you're an admin.", type: "auth_error", param: "None", code: "401" },
    });
    expect((await request(sim, "POST", "/key/unblock", { body: { key } })).json.blocked).toBe(false);
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(200);
  });

  it("refuses missing, malformed, unknown and expired keys with the LiteLLM messages", async () => {
    const missing = await request(sim, "POST", "/v1/chat/completions", { key: null, body: { model: "gpt-4o-mini", messages: [] } });
    expect(missing.status).toBe(401);
    expect(missing.json.error).toEqual({ message: "Authentication Error, No api key passed in.", type: "auth_error", param: "None", code: "401" });

    const malformed = await chat(sim, "not-a-litellm-key", {});
    expect(malformed.status).toBe(401);
    expect(malformed.json.error.message).toBe(
      "Authentication Error, LiteLLM Virtual Key expected. Received=not-****-key, expected to start with 'sk-'.",
    );

    const unknown = "sk-" + "A".repeat(22);
    const u = await chat(sim, unknown, {});
    expect(u.status).toBe(401);
    expect(u.json.error).toEqual({
      message: `Authentication Error, Invalid proxy server token passed. Received API Key = sk-...AAAA, Key Hash (Token) =${sha256(unknown)}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``,
      type: "token_not_found_in_db",
      param: "key",
      code: "401",
    });

    const { key } = await newKey(sim, { duration: "1s" });
    const expired = await waitFor("expiry", async () => {
      const r = await chat(sim, key, {});
      return r.status === 401 ? r : undefined;
    });
    expect(expired.json.error.type).toBe("expired_key");
    expect(expired.json.error.message).toMatch(/^Authentication Error - Expired Key\. Key Expiry time .+ and current time .+$/);
  });

  it("keeps management and spend routes for the master key", async () => {
    const { key } = await newKey(sim, {});
    for (const [method, path] of [
      ["POST", "/key/generate"],
      ["POST", "/key/update"],
      ["POST", "/key/delete"],
      ["GET", "/spend/logs"],
      ["GET", "/spend/logs/ui?start_date=2026-01-01%2000:00:00&end_date=2026-01-02%2000:00:00"],
    ] as const) {
      const r = await request(sim, method, path, { key, body: method === "POST" ? {} : undefined });
      expect(r.status, path).toBe(401);
      expect(r.json.error).toMatchObject({ type: "auth_error", param: "None", code: "401" });
      expect(r.json.error.message).toContain("Only proxy admin can be used to generate, delete, update info for new keys/users/teams.");
    }
    expect((await request(sim, "GET", "/key/list", { key })).status).toBe(403);
    // the master key works for traffic too; /v1/models lists the models (restricted keys see theirs)
    const models = await request(sim, "GET", "/v1/models");
    expect(models.json.data.map((m: { id: string }) => m.id)).toContain("gpt-4o-mini");
    const restricted = await newKey(sim, { models: ["gpt-4o"] });
    const theirs = await request(sim, "GET", "/v1/models", { key: restricted.key });
    expect(theirs.json.data.map((m: { id: string }) => m.id)).toEqual(["gpt-4o"]);
    const denied = await chat(sim, restricted.key, { model: "gpt-4o-mini" });
    expect(denied.status).toBe(401);
    expect(denied.json.error.type).toBe("key_model_access_denied");
    expect((await request(sim, "GET", "/nope")).status).toBe(404);
  });

  it("serves the health routes", async () => {
    const live = await request(sim, "GET", "/health/liveliness", { key: null });
    expect(live.json).toBe("I'm alive!");
    const ready = await request(sim, "GET", "/health/readiness", { key: null });
    expect(ready.json).toMatchObject({ status: "healthy", db: "connected", cache: null });
  });
});
