import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { chat, newKey, request } from "./helpers";

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
const VIEWER = "sk-viewer-read-only-0001";
const DAY = "start_date=2026-01-01%2000:00:00&end_date=2026-01-02%2000:00:00";

/** LiteLLM's refusal of a write for a proxy_admin_viewer (route_checks.py, rendered by UserAPIKeyAuthExceptionHandler). */
const refused = (route: string) => ({
  error: { message: `user not allowed to access this route, role= proxy_admin_viewer. Trying to access: ${route}`, type: "auth_error", param: "None", code: "403" },
});

describe("--viewer-key: a proxy_admin_viewer key (RouteChecks._check_proxy_admin_viewer_access)", () => {
  let sim: TestSimulator;
  let target: { key: string; hash: string };
  beforeAll(async () => {
    sim = await startSimulator(["--master-key", "sk-test-master", "--viewer-key", VIEWER, "--latency", "1-5", "--flush-interval", "0.2"]);
    target = await newKey(sim, { key_alias: "viewed", max_parallel_requests: 4, rpm_limit: 60, metadata: { allow_client_mock_response: true } });
    expect((await chat(sim, target.key, { mock_response: "hi" })).status).toBe(200);
    await request(sim, "POST", "/sim/spend-logs/flush", { key: null });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("is a key of the table, owned by the viewer user, and says so at start", async () => {
    const info = await request(sim, "GET", `/key/info?key=${sha256(VIEWER)}`);
    expect(info.status).toBe(200);
    expect(info.json.info).toMatchObject({ user_id: "viewer-user", max_parallel_requests: null, blocked: null });
    expect(sim.output()).toContain(`viewer-key=sk-...${VIEWER.slice(-4)}`);
  });

  it("reads every management and spend route Inflight calls", async () => {
    const list = await request(sim, "GET", "/key/list?page=1&size=100&return_full_object=true", { key: VIEWER });
    expect(list.status).toBe(200);
    const tokens = list.json.keys.map((k: { token: string }) => k.token);
    expect(tokens).toContain(target.hash); // all keys, not only its own: list_keys leaves user_id unset for PROXY_ADMIN_VIEW_ONLY
    expect(tokens).toContain(sha256(VIEWER));
    expect((await request(sim, "GET", `/key/list?key_hash=${target.hash}`, { key: VIEWER })).json.keys).toEqual([target.hash]);

    const info = await request(sim, "GET", `/key/info?key=${target.hash}`, { key: VIEWER });
    expect(info.status).toBe(200); // _can_user_query_key_info: any key
    expect(info.json).toMatchObject({ key: target.hash, info: { key_alias: "viewed", max_parallel_requests: 4, rpm_limit: 60 } });
    expect((await request(sim, "GET", "/key/info", { key: VIEWER })).json.info.user_id).toBe("viewer-user");

    const logs = await request(sim, "GET", `/spend/logs?api_key=${target.key}`, { key: VIEWER });
    expect(logs.status).toBe(200);
    expect(logs.json).toHaveLength(1);
    const day = new Date().toISOString().slice(0, 10);
    const rows = await request(sim, "GET", `/spend/logs?start_date=${day}&end_date=${day}&summarize=false`, { key: VIEWER });
    expect(rows.status).toBe(200);
    for (const route of ["/spend/logs/ui", "/spend/logs/v2"]) {
      const page = await request(sim, "GET", `${route}?${DAY}`, { key: VIEWER });
      expect(page.status, route).toBe(200);
      expect(page.json).toMatchObject({ page: 1, page_size: 50 });
    }
    for (const route of ["/health/liveliness", "/health/readiness", "/health/backlog", "/v1/models"]) {
      expect((await request(sim, "GET", route, { key: VIEWER })).status, route).toBe(200);
    }
  });

  it("is refused every write with LiteLLM's 403, before the body is read, and nothing changes", async () => {
    const writes: [string, unknown][] = [
      ["/key/update", { key: target.hash, max_parallel_requests: 1 }],
      ["/key/update", { key: target.hash, max_parallel_requests: "abc" }], // the route check runs before validation
      ["/key/generate", { key_alias: "by-viewer" }],
      ["/key/delete", { keys: [target.hash] }],
      ["/key/block", { key: target.hash }],
      ["/key/unblock", { key: target.hash }],
    ];
    for (const [route, body] of writes) {
      const r = await request(sim, "POST", route, { key: VIEWER, body });
      expect(r.status, route).toBe(403);
      expect(r.json, route).toEqual(refused(route));
    }
    const info = await request(sim, "GET", `/key/info?key=${target.hash}`);
    expect(info.json.info).toMatchObject({ max_parallel_requests: 4, blocked: null });
    expect((await request(sim, "GET", "/key/list?key_alias=by-viewer")).json.keys).toEqual([]);
  });

  it("keeps validate_key_list_check's limits on /key/list filters", async () => {
    for (const [query, message, param] of [
      ["user_id=someone-else", "You are not authorized to check another user's keys", "user_id"],
      ["team_id=team-a", "You are not authorized to check this team's keys", "team_id"],
      ["organization_id=org-a", "You are not authorized to check this organization's keys", "organization_id"],
    ]) {
      const r = await request(sim, "GET", `/key/list?${query}`, { key: VIEWER });
      expect(r.status, query).toBe(403);
      expect(r.json).toEqual({ error: { message, type: "bad_request_error", param, code: "403" } });
    }
    expect((await request(sim, "GET", "/key/list?user_id=viewer-user", { key: VIEWER })).json.keys).toEqual([sha256(VIEWER)]);
    expect((await request(sim, "GET", "/key/list?size=101", { key: VIEWER })).status).toBe(422);
  });

  it("passes the LLM route check like any key (is_llm_api_route comes first)", async () => {
    const r = await chat(sim, VIEWER, {});
    expect(r.status).toBe(200);
  });

  it("leaves the master key all access and other virtual keys refused as before", async () => {
    const upd = await request(sim, "POST", "/key/update", { body: { key: target.hash, max_parallel_requests: 5 } });
    expect(upd.status).toBe(200);
    expect(upd.json.max_parallel_requests).toBe(5);
    const plain = await request(sim, "POST", "/key/update", { key: target.key, body: { key: target.hash, max_parallel_requests: 1 } });
    expect(plain.status).toBe(401);
    expect(plain.json.error.message).toContain("Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=/key/update.");
    expect((await request(sim, "GET", "/key/list", { key: target.key })).status).toBe(403);
    expect((await request(sim, "GET", "/spend/logs", { key: target.key })).status).toBe(401);
  });
});

describe("--viewer-key with --data-dir", () => {
  it("reuses the stored row and keeps its role across a restart", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-viewer-"));
    try {
      const first = await startSimulator(["--data-dir", dir, "--viewer-key", VIEWER]);
      const before = (await request(first, "GET", `/key/info?key=${sha256(VIEWER)}`)).json.info.created_at;
      await first.stop();
      const second = await startSimulator(["--data-dir", dir, "--viewer-key", VIEWER]);
      try {
        expect((await request(second, "GET", `/key/info?key=${sha256(VIEWER)}`)).json.info.created_at).toBe(before);
        expect((await request(second, "POST", "/key/update", { key: VIEWER, body: { key: VIEWER } })).status).toBe(403);
        expect((await request(second, "GET", "/key/list", { key: VIEWER })).status).toBe(200);
      } finally {
        await second.stop();
      }
      // Without the flag the stored key is a plain key: the role belongs to the run's user table, not to the row.
      const third = await startSimulator(["--data-dir", dir]);
      try {
        expect((await request(third, "GET", "/spend/logs", { key: VIEWER })).status).toBe(401);
      } finally {
        await third.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
