// Burst tests through Inflight, over the route handlers the server runs, the app it builds (SQLite)
// and the LiteLLM simulator over HTTP: an admin token starts one by alias, follows its progress, gets
// a report the proxy's spend logs confirm, sees it listed, exported and audited, and the twin key
// gone; viewers read but may not start; a team-limited viewer never meets another team's run; the
// key itself with consent gets its metadata back and its raw key is stored nowhere; a cancel still
// cleans up; bad input gets a 4xx; a run whose process died is repaired.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as runGet } from "../../app/api/bursts/[id]/route";
import { POST as cancelPost } from "../../app/api/bursts/[id]/cancel/route";
import { POST as burstsPost } from "../../app/api/bursts/route";
import { GET as keyBurstsGet, POST as keyBurstsPost } from "../../app/api/keys/[hash]/bursts/route";
import { GET as auditGet } from "../../app/api/audit/route";
import { issueToken } from "../../lib/accounts/api-tokens";
import { createAccount } from "../../lib/accounts/accounts";
import type { BurstRunView } from "../../lib/api/bursts";
import { repairBurstRuns } from "../../lib/burst/repair";
import { syncCatalog } from "../../lib/catalog/sync";
import { app } from "../../lib/server/app";
import { simAdmin, startSimulator, type TestSimulator } from "../support/simulator";
import { signIn } from "../support/sign-in";
import { setAppEnv } from "../support/app-env";
import { createTestDatabase } from "../support/store";
import { waitFor } from "../support/wait";

const BASE = "http://inflight.test";
const TEAM_VIEWER = { email: "team-a@example.com", password: "team-a-password-123" };
type Headers = Record<string, string>;
const req = (method: string, path: string, headers: Headers = {}, body?: unknown) =>
  new Request(`${BASE}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
const byId = (id: string) => ({ params: Promise.resolve({ id }) });
const byHash = (hash: string) => ({ params: Promise.resolve({ hash }) });
const answer = async (res: Response) => ({ status: res.status, body: await res.json() });

describe("burst tests through Inflight", () => {
  let sim: TestSimulator;
  let db: { url: string; remove(): Promise<void> };
  let restoreEnv: () => void = () => undefined;
  const keys: Record<string, { hash: string; raw: string }> = {};
  let admin: Headers, viewer: Headers, teamViewer: Headers;

  const run = async (id: string, who = admin) => (await answer(await runGet(req("GET", `/api/bursts/${id}`, who), byId(id)))).body as BurstRunView;
  const twins = async () =>
    ((await simAdmin(sim, "GET", "/key/list?return_full_object=true&size=100")).keys as { key_alias: string | null }[]).filter((k) => k.key_alias?.startsWith("inflight-burst-"));
  /** Follows a run until it ended and its report has the proxy's final view. */
  const settled = (id: string) =>
    waitFor(
      async () => {
        const r = await run(id);
        return r.state !== "running" && (!r.report || r.report.admitted === 0 || (r.report.spendLogs && r.report.spendLogs.state !== "awaiting")) ? r : undefined;
      },
      { what: `burst ${id} to end with the spend logs' view`, timeoutMs: 40_000, intervalMs: 200 },
    );

  beforeAll(async () => {
    sim = await startSimulator(["--limiter", "gauge", "--flush-interval", "0.5"]);
    db = await createTestDatabase("sqlite");
    restoreEnv = setAppEnv({ INFLIGHT_DATABASE_URL: db.url, INFLIGHT_PUBLIC_URL: BASE, LITELLM_URL: sim.url, LITELLM_MASTER_KEY: sim.masterKey, INGEST_FLUSH_LAG_S: "5", LITELLM_KEY_CACHE_TTL_S: "0" });
    for (const [alias, team, metadata] of [
      ["burst-a", "team-a", {}],
      ["burst-b", "team-b", { owner: "platform", allow_client_mock_response: "true" }],
    ] as const) {
      const made = await simAdmin(sim, "POST", "/key/generate", { key_alias: alias, team_id: team, max_parallel_requests: 2, metadata });
      keys[alias] = { hash: made.token_id, raw: made.key };
    }
    const a = await app();
    await syncCatalog(a.litellm!, a.store);
    const token = async (scope: "admin" | "viewer") => {
      const t = await issueToken(a.store.tokens, { name: `burst-${scope}`, scope, createdBy: "test" });
      return { authorization: `Bearer ${t.token}` };
    };
    admin = await token("admin");
    viewer = await token("viewer");
    await createAccount(a.auth, { ...TEAM_VIEWER, role: "viewer", teams: ["team-a"] });
    teamViewer = await signIn(BASE, TEAM_VIEWER);
  }, 60_000);

  afterAll(async () => {
    await (await app()).store.close();
    await sim?.stop();
    await db?.remove();
    restoreEnv();
  });

  it("an admin token starts one by alias: progress, a PASS the spend logs confirm, listed, exported, audited, the twin gone", async () => {
    const started = await answer(await burstsPost(req("POST", "/api/bursts", admin, { key: "burst-a", n: 6, holdS: 1.5 })));
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    // Seen running with its progress, by a viewer too.
    const running = await waitFor(async () => {
      const r = await run(id, viewer);
      return r.progress && r.progress.sent === 6 ? r : r.state !== "running" ? r : undefined;
    }, { what: "the burst in flight", intervalMs: 20 });
    expect(running.progress).toMatchObject({ sent: 6 });

    const done = await settled(id);
    expect(done).toMatchObject({ state: "done", verdict: "PASS", target: "twin", cleanupPending: false, actorLabel: "token burst-admin" });
    const r = done.report!;
    expect(r).toMatchObject({ sent: 6, admitted: 2, rejected: 4, peak: 2, limit: 2, keyAlias: "burst-a" });
    expect(r.requests).toHaveLength(6);
    expect(r.spendLogs).toMatchObject({ state: "complete", expected: 2, found: 2, peak: 2 });
    expect(r.reasons.at(-1)).toBe("the proxy's spend logs agree: 2 admitted requests ran at once by its own clock");
    expect(await twins()).toEqual([]);

    const list = await answer(await keyBurstsGet(req("GET", `/api/keys/${keys["burst-a"].hash}/bursts`, viewer), byHash(keys["burst-a"].hash)));
    expect(list.body.runs.map((x: { id: string }) => x.id)).toContain(id);
    expect(list.body.runs[0]).not.toHaveProperty("report");

    const file = await runGet(req("GET", `/api/bursts/${id}?download=1`, viewer), byId(id));
    expect(file.headers.get("content-disposition")).toBe(`attachment; filename="inflight-burst-${id}.json"`);
    expect(JSON.parse(await file.text()).report.verdict).toBe("PASS");

    const audit = await answer(await auditGet(req("GET", `/api/audit?key=${keys["burst-a"].hash}`, admin)));
    const entry = audit.body.rows.find((e: { action: string }) => e.action === "key.burst");
    expect(entry).toMatchObject({ outcome: "applied", message: "verdict: PASS", actorLabel: "token burst-admin" });
    expect(entry.after).toMatchObject({ run: id, verdict: "PASS", peak: 2, limit: 2 });
  });

  it("viewers may read but not start or cancel (403); a team-limited viewer never meets another team's run (404)", async () => {
    const hash = keys["burst-b"].hash;
    expect((await answer(await keyBurstsPost(req("POST", `/api/keys/${hash}/bursts`, viewer, {}), byHash(hash)))).status).toBe(403);
    expect((await answer(await burstsPost(req("POST", "/api/bursts", viewer, { key: "burst-b" })))).status).toBe(403);
    // The key itself, without consent to change its metadata.
    const started = await answer(await keyBurstsPost(req("POST", `/api/keys/${hash}/bursts`, admin, { target: "key", rawKey: keys["burst-b"].raw, n: 4 }), byHash(hash)));
    expect(started.status).toBe(202);
    const id = started.body.id;
    expect((await answer(await cancelPost(req("POST", `/api/bursts/${id}/cancel`, viewer), byId(id)))).status).toBe(403);
    expect(await answer(await runGet(req("GET", `/api/bursts/${id}`, teamViewer), byId(id)))).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect((await answer(await keyBurstsGet(req("GET", `/api/keys/${hash}/bursts`, teamViewer), byHash(hash)))).status).toBe(404);
    // burst-b's metadata allows mocks only as the string "true", which LiteLLM does not honour: the
    // probe says so, and nothing more is sent.
    const done = await settled(id);
    expect(done.verdict).toBe("INCONCLUSIVE");
    expect(done.report!.reasons[0]).toMatch(/did not return the mock answer.*or allow Inflight to set it on the key for the run/);
    expect(done.report!.sent).toBe(0);
  });

  it("the key itself with consent: run on it, its metadata put back exactly, its raw key stored nowhere", async () => {
    const { hash, raw } = keys["burst-b"];
    const before = (await simAdmin(sim, "GET", `/key/info?key=${hash}`)).info.metadata;
    const started = await answer(
      await keyBurstsPost(req("POST", `/api/keys/${hash}/bursts`, admin, { target: "key", rawKey: raw, allowMockMetadata: true, n: 5, holdS: 1 }), byHash(hash)),
    );
    expect(started.status).toBe(202);
    const done = await settled(started.body.id);
    expect(done).toMatchObject({ state: "done", verdict: "PASS", target: "key", cleanupPending: false });
    expect(done.report!.spendLogs).toMatchObject({ state: "complete", found: 2 });
    expect((await simAdmin(sim, "GET", `/key/info?key=${hash}`)).info.metadata).toEqual(before);
    for (const f of [db.url.replace(/^file:/, ""), `${db.url.replace(/^file:/, "")}-wal`]) {
      if (fs.existsSync(f)) expect(fs.readFileSync(f).includes(Buffer.from(raw)), f).toBe(false);
    }
  });

  it("a cancel aborts every request and still deletes the twin; a run that ended cannot be cancelled (409)", async () => {
    const hash = keys["burst-a"].hash;
    const started = await answer(await keyBurstsPost(req("POST", `/api/keys/${hash}/bursts`, admin, { n: 6, holdS: 30 }), byHash(hash)));
    const id = started.body.id;
    await waitFor(async () => (await run(id)).progress?.inFlight === 2 || undefined, { what: "two requests admitted and holding", intervalMs: 20 });
    // One run per key at a time.
    expect(await answer(await keyBurstsPost(req("POST", `/api/keys/${hash}/bursts`, admin, { n: 3 }), byHash(hash)))).toMatchObject({
      status: 409,
      body: { error: { code: "conflict", message: expect.stringContaining("A burst test on this key is running") } },
    });
    expect(await answer(await cancelPost(req("POST", `/api/bursts/${id}/cancel`, admin), byId(id)))).toMatchObject({ status: 200, body: { cancelled: true } });
    const done = await settled(id);
    expect(done).toMatchObject({ state: "done", verdict: "INCONCLUSIVE", cleanupPending: false });
    expect(done.report!.reasons).toEqual(["cancelled"]);
    expect(done.endedMs! - done.startedMs).toBeLessThan(20_000);
    expect(await twins()).toEqual([]);
    expect(await answer(await cancelPost(req("POST", `/api/bursts/${id}/cancel`, admin), byId(id)))).toMatchObject({ status: 409, body: { error: { code: "conflict" } } });
  });

  it("bad input gets a 4xx with a readable message, never a 500, and never echoes a raw key", async () => {
    const hash = keys["burst-a"].hash;
    const bad: unknown[] = [
      "not json",
      { n: 0 },
      { n: 501 },
      { n: 2.5 },
      { holdS: 0 },
      { rounds: 11 },
      { n: 300, rounds: 2 },
      { target: "key" },
      { target: "key", rawKey: "not-a-key" },
      { target: "twin", rawKey: "sk-twin-needs-none" },
      { allowMockMetadata: true },
      { target: "key", rawKey: "sk-someone-elses-key-0001" },
      { unknown: 1 },
      [],
    ];
    for (const body of bad) {
      const res = await answer(await keyBurstsPost(req("POST", `/api/keys/${hash}/bursts`, admin, body), byHash(hash)));
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
      expect(res.body.error.message).toBeTruthy();
      expect(JSON.stringify(res.body)).not.toContain("sk-someone-elses-key-0001");
    }
    expect((await answer(await burstsPost(req("POST", "/api/bursts", admin, { key: "no-such-key" })))).status).toBe(404);
    expect((await answer(await burstsPost(req("POST", "/api/bursts", admin, {})))).status).toBe(422);
    expect((await answer(await runGet(req("GET", "/api/bursts/nope", admin), byId("nope")))).status).toBe(404);
    expect((await answer(await runGet(req("GET", "/api/bursts/..%2F", admin), byId("../")))).status).toBe(404);
  });

  it("a run whose process died is repaired: marked interrupted, its twin deleted, the key's metadata put back", async () => {
    const a = await app();
    const { hash } = keys["burst-a"];
    const twin = await simAdmin(sim, "POST", "/key/generate", { key_alias: "inflight-burst-orphan", max_parallel_requests: 2 });
    const metadata = (await simAdmin(sim, "GET", `/key/info?key=${hash}`)).info.metadata;
    // What a run stores before it changes anything, then its process dies mid-run.
    const entry = await a.store.audit.append({
      atMs: Date.now() - 120_000,
      actorKind: "user",
      actorId: "u1",
      actorLabel: "admin@example.com",
      action: "key.burst",
      keyHash: hash,
      keyAlias: "burst-a",
      teamId: "team-a",
      before: null,
      after: { target: "key" },
      reason: null,
      outcome: "pending",
      message: null,
    });
    await a.store.bursts.create({ id: "orphan", keyHash: hash, keyAlias: "burst-a", teamId: "team-a", actorLabel: "admin@example.com", auditId: entry.id, target: "key", plan: {}, startedMs: Date.now() - 120_000 });
    await a.store.bursts.twinCreated("orphan", twin.token_id, Date.now() - 119_000);
    await a.store.bursts.setRestore("orphan", { entry: "allow_client_mock_response", had: false, value: null });
    await simAdmin(sim, "POST", "/key/update", { key: hash, metadata: { ...metadata, allow_client_mock_response: true } });

    expect(await repairBurstRuns({ bursts: a.store.bursts, audit: a.store.audit, litellm: a.litellm! })).toEqual({ interrupted: 1, undone: 2, left: 0 });
    expect((await simAdmin(sim, "GET", `/key/info?key=${hash}`)).info.metadata).toEqual(metadata);
    expect(await twins()).toEqual([]);
    expect(await run("orphan")).toMatchObject({ state: "interrupted", cleanupPending: false, message: expect.stringContaining("Inflight stopped during this burst test") });
    const audit = await answer(await auditGet(req("GET", `/api/audit?key=${hash}`, admin)));
    expect(audit.body.rows.find((e: { id: number }) => e.id === entry.id)).toMatchObject({ outcome: "unconfirmed" });
    // Nothing left: a second pass does nothing.
    expect(await repairBurstRuns({ bursts: a.store.bursts, audit: a.store.audit, litellm: a.litellm! })).toEqual({ interrupted: 0, undone: 0, left: 0 });
  });
});
