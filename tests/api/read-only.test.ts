// Least privilege towards LiteLLM, and scrapers behind METRICS_TOKEN: with only a read-only
// LiteLLM key (a proxy_admin_viewer user's key, simulated by --viewer-key), Inflight reads the
// catalog and spend logs, shows the limits, and refuses edits saying what to set; /metrics and
// /api/health want the metrics token (or a signed-in caller).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as healthGet } from "../../app/api/health/route";
import { GET as limitsGet, POST as limitsPost } from "../../app/api/keys/[hash]/limits/route";
import { GET as metricsGet } from "../../app/metrics/route";
import { issueToken } from "../../lib/accounts/api-tokens";
import { syncCatalog } from "../../lib/catalog/sync";
import { ProxySpendLogSource } from "../../lib/ingest/source";
import { app } from "../../lib/server/app";
import { simAdmin, startSimulator, type TestSimulator } from "../support/simulator";
import { setAppEnv } from "../support/app-env";
import { createTestDatabase } from "../support/store";

const BASE = "http://inflight.test";
const VIEWER_KEY = "sk-read-only-viewer-key-0123456789";
const METRICS = "metrics-token-0123456789";

const get = (path: string, headers: Record<string, string> = {}) => new Request(`${BASE}${path}`, { headers });

describe("a read-only LiteLLM key", () => {
  let sim: TestSimulator;
  let db: { url: string; remove(): Promise<void> };
  let hash = "";
  let adminToken = "";
  let restoreEnv: () => void = () => undefined;

  beforeAll(async () => {
    sim = await startSimulator(["--viewer-key", VIEWER_KEY]);
    db = await createTestDatabase("sqlite");
    restoreEnv = setAppEnv({ INFLIGHT_DATABASE_URL: db.url, INFLIGHT_PUBLIC_URL: BASE, LITELLM_URL: sim.url, LITELLM_API_KEY: VIEWER_KEY, METRICS_TOKEN: METRICS });
    hash = (await simAdmin(sim, "POST", "/key/generate", { key_alias: "observed", max_parallel_requests: 3 })).token_id;
    const a = await app();
    adminToken = (await issueToken(a.store.tokens, { name: "admin-script", scope: "admin", createdBy: "test" })).token;
  }, 60_000);

  afterAll(async () => {
    await (await app()).store.close();
    await sim?.stop();
    await db?.remove();
    restoreEnv();
  });

  const admin = () => ({ authorization: `Bearer ${adminToken}` });

  it("observes: the catalog and spend logs are read with it", async () => {
    const a = await app();
    expect((await syncCatalog(a.litellm!, a.store)).keys).toBeGreaterThanOrEqual(1);
    expect((await a.store.catalog.keyByHash(hash))?.maxParallelRequests).toBe(3);
    const now = Date.now();
    expect(await new ProxySpendLogSource(a.litellm!).count(now - 3_600_000, now)).toMatchObject({ total: expect.any(Number) });
  });

  it("edits are off, saying why and what to set, even for an admin; nothing reaches the proxy", async () => {
    const params = { params: Promise.resolve({ hash }) };
    const view = await (await limitsGet(get(`/api/keys/${hash}/limits`, admin()), params)).json();
    expect(view).toMatchObject({ live: { max_parallel_requests: 3 }, canEdit: false, editBlockedBy: expect.stringContaining("set LITELLM_MASTER_KEY") });
    const res = await limitsPost(
      new Request(`${BASE}/api/keys/${hash}/limits`, { method: "POST", headers: { ...admin(), "content-type": "application/json" }, body: '{"max_parallel_requests":9}' }),
      params,
    );
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: "read_only", message: expect.stringContaining("LITELLM_API_KEY") });
    expect((await simAdmin(sim, "GET", `/key/info?key=${hash}`)).info.max_parallel_requests).toBe(3);
  });

  it("METRICS_TOKEN: /metrics and /api/health want it (or a signed-in caller)", async () => {
    for (const route of [() => metricsGet(get("/metrics")), () => healthGet(get("/api/health"))]) expect((await route()).status).toBe(401);
    expect((await metricsGet(get("/metrics", { authorization: "Bearer wrong-token-000000" }))).status).toBe(401);
    expect((await metricsGet(get("/metrics", { authorization: `Bearer ${METRICS}` }))).status).toBe(200);
    expect((await healthGet(get("/api/health", { authorization: `Bearer ${METRICS}` }))).status).toBe(200);
    expect((await healthGet(get("/api/health", admin()))).status).toBe(200);
  });
});
