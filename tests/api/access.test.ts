// Accounts, roles and limit edits through the route handlers the server runs, over the app the
// server builds (SQLite store, better-auth) and the LiteLLM simulator over HTTP: signed out gets
// 401, a viewer sees but may not write (403), a team-limited viewer never meets another team's
// key, a cross-origin write is refused, an admin's edit reaches the proxy and is audited with
// before and after, and no bad input gets a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as authPost } from "../../app/api/auth/[...all]/route";
import { DELETE as accountDelete, PATCH as accountPatch } from "../../app/api/accounts/[id]/route";
import { GET as accountsGet, POST as accountsPost } from "../../app/api/accounts/route";
import { GET as auditGet } from "../../app/api/audit/route";
import { DELETE as tokenDelete } from "../../app/api/tokens/[id]/route";
import { GET as tokensGet, POST as tokensPost } from "../../app/api/tokens/route";
import { GET as evidenceGet } from "../../app/api/keys/[hash]/evidence/route";
import { POST as limitsPost } from "../../app/api/keys/[hash]/limits/route";
import { POST as passwordPost } from "../../app/api/accounts/[id]/password/route";
import { POST as accountSignOut } from "../../app/api/accounts/[id]/sign-out/route";
import { POST as setupPost } from "../../app/api/setup/route";
import { POST as teamPreview } from "../../app/api/teams/[team]/limits/preview/route";
import { POST as teamApply } from "../../app/api/teams/[team]/limits/route";
import { GET as seriesGet } from "../../app/api/keys/[hash]/series/route";
import { GET as overviewGet } from "../../app/api/overview/route";
import { issueToken } from "../../lib/accounts/api-tokens";
import { createAccount } from "../../lib/accounts/accounts";
import { syncCatalog } from "../../lib/catalog/sync";
import { app } from "../../lib/server/app";
import { simAdmin, startSimulator, type TestSimulator } from "../support/simulator";
import { signIn as signInAt } from "../support/sign-in";
import { setAppEnv } from "../support/app-env";
import { createTestDatabase } from "../support/store";

const BASE = "http://inflight.test";
const ADMIN = { email: "admin@example.com", password: "admin-password-123" };
const VIEWER = { email: "viewer@example.com", password: "viewer-password-123" };
const TEAM_VIEWER = { email: "team-a@example.com", password: "team-a-password-123" };
const AUTOMATION = "ift_access-test-automation-token-0123";

type Headers = Record<string, string>;
const req = (method: string, path: string, headers: Headers = {}, body?: unknown) =>
  new Request(`${BASE}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
const params = (hash: string) => ({ params: Promise.resolve({ hash }) });
const answer = async (res: Response) => ({ status: res.status, body: await res.json() });

const signIn = (who: { email: string; password: string }) => signInAt(BASE, who);

describe("access and limit edits", () => {
  let sim: TestSimulator;
  let db: { url: string; remove(): Promise<void> };
  let restoreEnv: () => void = () => undefined;
  const keys: Record<string, string> = {};
  let admin: Headers, viewer: Headers, teamViewer: Headers;

  const edit = (hash: string, who: Headers, body: unknown, origin: string | null = BASE) =>
    limitsPost(req("POST", `/api/keys/${hash}/limits`, { ...who, ...(origin ? { origin } : {}) }, body), params(hash));
  const keyInfo = async (hash: string) => (await simAdmin(sim, "GET", `/key/info?key=${hash}`)).info;

  beforeAll(async () => {
    sim = await startSimulator(["--upperbound-rpm", "1000"]);
    db = await createTestDatabase("sqlite");
    restoreEnv = setAppEnv({
      INFLIGHT_DATABASE_URL: db.url,
      INFLIGHT_PUBLIC_URL: BASE,
      LITELLM_URL: sim.url,
      LITELLM_MASTER_KEY: sim.masterKey,
      INFLIGHT_ADMIN_EMAIL: ADMIN.email,
      INFLIGHT_ADMIN_PASSWORD: ADMIN.password,
      INFLIGHT_API_TOKEN: AUTOMATION,
    });
    for (const [alias, team] of [
      ["team-a-key", "team-a"],
      ["team-b-key", "team-b"],
      ["no-team-key", null],
    ] as const) {
      const made = await simAdmin(sim, "POST", "/key/generate", {
        key_alias: alias,
        team_id: team,
        max_parallel_requests: 4,
        rpm_limit: 100,
        metadata: { owner: "platform", model_rpm_limit: { "gpt-4o": 10 } },
      });
      keys[alias] = made.token_id;
    }
    const a = await app();
    await syncCatalog(a.litellm!, a.store);
    await createAccount(a.auth, { ...VIEWER, role: "viewer", teams: null });
    await createAccount(a.auth, { ...TEAM_VIEWER, role: "viewer", teams: ["team-a"] });
    admin = await signIn(ADMIN);
    viewer = await signIn(VIEWER);
    teamViewer = await signIn(TEAM_VIEWER);
  }, 60_000);

  afterAll(async () => {
    await (await app()).store.close();
    await sim?.stop();
    await db?.remove();
    restoreEnv();
  });

  it("signed out, every API route answers 401 with a readable message", async () => {
    const hash = keys["team-a-key"];
    const range = `from=${Date.now() - 3_600_000}&to=${Date.now()}`;
    const answers = [
      await overviewGet(req("GET", `/api/overview?${range}`)),
      await seriesGet(req("GET", `/api/keys/${hash}/series?${range}`), params(hash)),
      await evidenceGet(req("GET", `/api/keys/${hash}/evidence?${range}`), params(hash)),
      await auditGet(req("GET", "/api/audit")),
      await edit(hash, {}, { max_parallel_requests: 3 }),
    ];
    for (const res of answers) expect(await answer(res)).toMatchObject({ status: 401, body: { error: { code: "unauthenticated" } } });
    const badToken = await overviewGet(req("GET", `/api/overview?${range}`, { authorization: "Bearer ift_not-a-token" }));
    expect(await answer(badToken)).toMatchObject({ status: 401, body: { error: { message: "This API token is unknown or revoked" } } });
  });

  it("a viewer sees every key but may not edit (403); the automation token is a viewer too", async () => {
    const range = `from=${Date.now() - 3_600_000}&to=${Date.now()}`;
    const seen = await answer(await overviewGet(req("GET", `/api/overview?${range}`, viewer)));
    expect(seen.status).toBe(200);
    expect(seen.body.rows.map((r: { alias: string }) => r.alias).sort()).toEqual(["no-team-key", "team-a-key", "team-b-key"]);
    for (const who of [viewer, { authorization: `Bearer ${AUTOMATION}` }]) {
      expect(await answer(await edit(keys["team-a-key"], who, { max_parallel_requests: 3 }))).toMatchObject({
        status: 403,
        body: { error: { code: "forbidden", message: "Only an admin may do this; you are signed in as a viewer" } },
      });
    }
    expect((await keyInfo(keys["team-a-key"])).max_parallel_requests).toBe(4);
  });

  it("a team-limited viewer sees only its team's keys: the others answer as unknown", async () => {
    const range = `from=${Date.now() - 3_600_000}&to=${Date.now()}`;
    const seen = await answer(await overviewGet(req("GET", `/api/overview?${range}`, teamViewer)));
    expect(seen.body.rows.map((r: { alias: string }) => r.alias)).toEqual(["team-a-key"]);
    expect(seen.body.teams).toEqual(["team-a"]);
    for (const alias of ["team-b-key", "no-team-key"]) {
      const hash = keys[alias];
      expect((await seriesGet(req("GET", `/api/keys/${hash}/series?${range}`, teamViewer), params(hash))).status).toBe(404);
      expect((await evidenceGet(req("GET", `/api/keys/${hash}/evidence?${range}`, teamViewer), params(hash))).status).toBe(404);
    }
    expect((await seriesGet(req("GET", `/api/keys/${keys["team-a-key"]}/series?${range}`, teamViewer), params(keys["team-a-key"]))).status).toBe(200);
  });

  it("a cross-origin write is refused before anything happens", async () => {
    const before = (await answer(await auditGet(req("GET", "/api/audit", admin)))).body.rows.length;
    const res = await edit(keys["no-team-key"], admin, { max_parallel_requests: 2 }, "http://evil.example");
    expect(await answer(res)).toMatchObject({ status: 403, body: { error: { code: "cross_origin" } } });
    const sneaky = await limitsPost(req("POST", `/api/keys/${keys["no-team-key"]}/limits`, { ...admin, "sec-fetch-site": "cross-site" }, { max_parallel_requests: 2 }), params(keys["no-team-key"]));
    expect(sneaky.status).toBe(403);
    expect((await keyInfo(keys["no-team-key"])).max_parallel_requests).toBe(4);
    expect((await answer(await auditGet(req("GET", "/api/audit", admin)))).body.rows.length).toBe(before);
  });

  it("an admin's edit reaches the proxy, changes only what was asked, and is audited with before and after", async () => {
    const hash = keys["team-a-key"];
    const res = await answer(await edit(hash, admin, { max_parallel_requests: 7, rpm_limit: null, reason: "provider quota raised" }));
    expect(res).toMatchObject({ status: 200, body: { outcome: "applied", before: { max_parallel_requests: 4, rpm_limit: 100 }, after: { max_parallel_requests: 7, rpm_limit: null } } });
    const info = await keyInfo(hash);
    expect([info.max_parallel_requests, info.rpm_limit, info.metadata]).toEqual([7, null, { owner: "platform", model_rpm_limit: { "gpt-4o": 10 } }]);
    const [entry] = (await answer(await auditGet(req("GET", `/api/audit?key=${hash}`, admin)))).body.rows;
    expect(entry).toMatchObject({
      actorKind: "user",
      actorLabel: ADMIN.email,
      action: "key.limits",
      keyAlias: "team-a-key",
      teamId: "team-a",
      before: { max_parallel_requests: 4, rpm_limit: 100 },
      after: { max_parallel_requests: 7, rpm_limit: null },
      reason: "provider quota raised",
      outcome: "applied",
    });
    // The catalog holds the new limit, and the next sync records nothing external.
    const a = await app();
    expect((await a.store.catalog.keyByHash(hash))!.maxParallelRequests).toBe(7);
    await syncCatalog(a.litellm!, a.store);
    expect((await a.store.audit.list({ limit: 50, outcome: "external" })).length).toBe(0);
  });

  it("a metadata change merges into the whole object: the other metadata survives", async () => {
    const hash = keys["team-b-key"];
    const res = await answer(await edit(hash, admin, { metadata: { allow_client_mock_response: true } }));
    expect(res.body.outcome).toBe("applied");
    expect((await keyInfo(hash)).metadata).toEqual({ owner: "platform", model_rpm_limit: { "gpt-4o": 10 }, allow_client_mock_response: true });
  });

  it("0 blocks every request: refused unless confirmed, applied when confirmed", async () => {
    const hash = keys["no-team-key"];
    expect(await answer(await edit(hash, admin, { max_parallel_requests: 0 }))).toMatchObject({
      status: 422,
      body: { error: { code: "invalid_input", message: expect.stringContaining("blocks every request") } },
    });
    expect((await answer(await edit(hash, admin, { max_parallel_requests: 0, confirmZero: true }))).body.outcome).toBe("applied");
    expect((await keyInfo(hash)).max_parallel_requests).toBe(0);
  });

  it("a change made outside Inflight enters the trail as external", async () => {
    const hash = keys["team-b-key"];
    await simAdmin(sim, "POST", "/key/update", { key: hash, tpm_limit: 5000 });
    const a = await app();
    await syncCatalog(a.litellm!, a.store);
    const [entry] = await a.store.audit.list({ keyHash: hash, outcome: "external", limit: 1 });
    expect(entry).toMatchObject({ actorKind: "proxy", before: { tpm_limit: null }, after: { tpm_limit: 5000 }, outcome: "external" });
  });

  it("an unknown key is a 404; nothing to change is a 422", async () => {
    const unknown = "0123456789abcdef".repeat(4);
    expect((await edit(unknown, admin, { max_parallel_requests: 3 })).status).toBe(404);
    expect(await answer(await edit(keys["team-a-key"], admin, { max_parallel_requests: 7 }))).toMatchObject({
      status: 422,
      body: { error: { message: "nothing to change: the key already has these values" } },
    });
  });

  it("30+ bad inputs each get a 4xx with a message, never a 500", async () => {
    const hash = keys["team-a-key"];
    const bad: unknown[] = [
      "",
      "not json",
      "[]",
      "null",
      "42",
      '"text"',
      "{",
      {},
      { max_parallel_requests: "abc" },
      { max_parallel_requests: "5" },
      { max_parallel_requests: 1.5 },
      { max_parallel_requests: -1 },
      { max_parallel_requests: 2 ** 31 },
      { max_parallel_requests: Number.MAX_SAFE_INTEGER + 2 },
      { max_parallel_requests: true },
      { max_parallel_requests: [] },
      { max_parallel_requests: {} },
      { rpm_limit: -5 },
      { rpm_limit: 1e13 },
      { rpm_limit: "1e3" },
      { tpm_limit: 0.1 },
      { tpm_limit: false },
      { max_parallel_requests: 0 },
      { rpm_limit: 0, confirmZero: "yes" },
      { metadata: "text" },
      { metadata: [] },
      { metadata: { "": 1 } },
      { reason: 5, max_parallel_requests: 3 },
      { reason: "x".repeat(501), max_parallel_requests: 3 },
      { unknown_field: 1 },
      { max_parallel_requests: 3, key: "sk-other" },
      { max_parallel_requests: 3, team_id: "team-b" },
      { confirmZero: true },
      "x".repeat(70_000),
    ];
    for (const body of bad) {
      const res = await edit(hash, admin, body);
      const text = await res.text();
      expect(res.status, `${JSON.stringify(body).slice(0, 60)} → ${text}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${JSON.stringify(body).slice(0, 60)} → ${text}`).toBeLessThan(500);
      expect(JSON.parse(text).error.message.length).toBeGreaterThan(5);
    }
    const wrongType = await limitsPost(new Request(`${BASE}/api/keys/${hash}/limits`, { method: "POST", headers: { ...admin, origin: BASE, "content-type": "text/plain" }, body: "{}" }), params(hash));
    expect(wrongType.status).toBe(415);
    expect((await edit("sk-1234", admin, { max_parallel_requests: 3 })).status).toBe(422);
    expect((await keyInfo(hash)).max_parallel_requests).toBe(7);
  });

  it("every write route answers 30+ bad inputs with a 4xx and a message, never a 500", async () => {
    const BAD: unknown[] = [
      "", "not json", "[]", "null", "42", '"text"', "{", "{}}", "x".repeat(70_000),
      { email: 5 }, { email: "not-an-email", password: "long-enough-password" }, { email: "a@b.c", password: "short" },
      { email: "a@b.c", password: 123456789012345 }, { email: "a@b.c", password: "p".repeat(300) },
      { role: "owner" }, { role: null }, { role: ["admin"] }, { role: "viewer", teams: "team-a" }, { role: "viewer", teams: [1, 2] },
      { role: "viewer", teams: ["x".repeat(300)] }, { role: "viewer", teams: null, extra: 1 },
      { name: "" }, { name: 7, scope: "viewer" }, { name: "t", scope: "root" }, { name: "x".repeat(101), scope: "viewer" },
      { password: "" }, { password: ["a"] },
      { max_parallel_requests: "abc" }, { max_parallel_requests: -1 }, { max_parallel_requests: 1.5 }, { rpm_limit: 1e13 },
      { max_parallel_requests: 0 }, { metadata: "x" }, { unknown: true }, { __proto__: { role: "admin" } },
    ];
    expect(BAD.length).toBeGreaterThanOrEqual(30);
    const hash = keys["team-a-key"];
    const someone = (await createAccount((await app()).auth, { email: "fuzz-target@example.com", role: "viewer", teams: null })).id;
    const routes: [string, (r: Request) => Promise<Response>][] = [
      ["POST /api/setup", (r) => setupPost(r)],
      ["POST /api/accounts", (r) => accountsPost(r)],
      ["PATCH /api/accounts/[id]", (r) => accountPatch(r, { params: Promise.resolve({ id: someone }) })],
      ["POST /api/accounts/[id]/password", (r) => passwordPost(r, { params: Promise.resolve({ id: someone }) })],
      ["POST /api/tokens", (r) => tokensPost(r)],
      ["POST /api/keys/[hash]/limits", (r) => limitsPost(r, params(hash))],
      ["POST /api/teams/[team]/limits/preview", (r) => teamPreview(r, { params: Promise.resolve({ team: "team-a" }) })],
      ["POST /api/teams/[team]/limits", (r) => teamApply(r, { params: Promise.resolve({ team: "team-a" }) })],
    ];
    for (const [name, route] of routes) {
      for (const body of BAD) {
        const method = name.split(" ")[0];
        const res = await route(req(method, "/", { ...admin, origin: BASE }, body));
        const text = await res.text();
        const what = `${name} with ${JSON.stringify(body)?.slice(0, 50)} → ${res.status} ${text.slice(0, 120)}`;
        expect(res.status, what).toBeGreaterThanOrEqual(400);
        expect(res.status, what).toBeLessThan(500);
        expect(JSON.parse(text).error.message.length, what).toBeGreaterThan(5);
      }
    }
    // Routes whose path carries the input: ids that name nothing are 4xx too.
    for (const id of ["", "nope", "../../etc", "1e9", "-1", "0x10"]) {
      expect((await accountSignOut(req("POST", "/", { ...admin, origin: BASE }), { params: Promise.resolve({ id }) })).status).toBe(404);
      expect((await accountDelete(req("DELETE", "/", { ...admin, origin: BASE }), { params: Promise.resolve({ id }) })).status).toBe(404);
      const t = (await tokenDelete(req("DELETE", "/", { ...admin, origin: BASE }), { params: Promise.resolve({ id }) })).status;
      expect([404, 422]).toContain(t);
    }
    expect((await keyInfo(hash)).max_parallel_requests).toBe(7);
  });

  it("an admin-scope token may edit; its name is the audit actor", async () => {
    const a = await app();
    const { token } = await issueToken(a.store.tokens, { name: "ci-pipeline", scope: "admin", createdBy: "test" });
    const res = await answer(await edit(keys["team-a-key"], { authorization: `Bearer ${token}` }, { max_parallel_requests: 8 }, null));
    expect(res.body.outcome).toBe("applied");
    const [entry] = await a.store.audit.list({ keyHash: keys["team-a-key"], limit: 1 });
    expect(entry).toMatchObject({ actorKind: "token", actorLabel: "token ci-pipeline", after: { max_parallel_requests: 8 } });
  });

  it("a team-wide change: previewed key by key (nothing changes), then applied key by key, each audited", async () => {
    const made = [];
    for (const [alias, mpr] of [["c-one", 4], ["c-two", 6], ["c-three", 2]] as const) {
      made.push((await simAdmin(sim, "POST", "/key/generate", { key_alias: alias, team_id: "team-c", max_parallel_requests: mpr })).token_id as string);
    }
    const a = await app();
    await syncCatalog(a.litellm!, a.store);
    const team = (path: string, who: Headers, body: unknown) => req("POST", path, { ...who, origin: BASE }, body);
    const ctx = { params: Promise.resolve({ team: "team-c" }) };
    const body = { max_parallel_requests: 2, reason: "provider quota cut" };

    expect((await teamPreview(team("/api/teams/team-c/limits/preview", viewer, body), ctx)).status).toBe(403);
    const preview = await answer(await teamPreview(team("/api/teams/team-c/limits/preview", admin, body), ctx));
    expect(preview.status).toBe(200);
    expect(preview.body.rows.map((r: { alias: string; before: { max_parallel_requests: number }; changes: boolean }) => [r.alias, r.before.max_parallel_requests, r.changes])).toEqual([
      ["c-one", 4, true],
      ["c-three", 2, false],
      ["c-two", 6, true],
    ]);
    expect((await keyInfo(made[0])).max_parallel_requests).toBe(4);

    const applied = await answer(await teamApply(team("/api/teams/team-c/limits", admin, body), ctx));
    expect(applied.body.results.map((r: { alias: string; outcome: string }) => [r.alias, r.outcome])).toEqual([
      ["c-one", "applied"],
      ["c-three", "unchanged"],
      ["c-two", "applied"],
    ]);
    for (const hash of made) expect((await keyInfo(hash)).max_parallel_requests).toBe(2);
    const trail = await a.store.audit.list({ limit: 10, teams: ["team-c"] });
    expect(trail.map((e) => [e.keyAlias, e.before, e.after, e.reason])).toEqual([
      ["c-two", { max_parallel_requests: 6 }, { max_parallel_requests: 2 }, "provider quota cut · team-wide change of team-c"],
      ["c-one", { max_parallel_requests: 4 }, { max_parallel_requests: 2 }, "provider quota cut · team-wide change of team-c"],
    ]);
    const none = await answer(await teamPreview(team("/api/teams/no-such-team/limits/preview", admin, body), { params: Promise.resolve({ team: "no-such-team" }) }));
    expect(none).toMatchObject({ status: 404, body: { error: { message: "No key of team no-such-team is in the proxy's key list" } } });
    expect((await teamApply(team("/api/teams/team-c/limits", admin, { metadata: { a: 1 } }), ctx)).status).toBe(422);
  });

  it("API tokens from the access routes: shown once, listed without the token, work at once, revoked at once; audited", async () => {
    const made = await answer(await tokensPost(req("POST", "/api/tokens", { ...admin, origin: BASE }, { name: "nightly-report", scope: "viewer" })));
    expect(made.status).toBe(200);
    const token: string = made.body.token;
    expect(token).toMatch(/^ift_/);
    const listed = await (await tokensGet(req("GET", "/api/tokens", admin))).text();
    expect(listed).toContain("nightly-report");
    expect(listed).not.toContain(token);
    const range = `from=${Date.now() - 3_600_000}&to=${Date.now()}`;
    const read = () => overviewGet(req("GET", `/api/overview?${range}`, { authorization: `Bearer ${token}` }));
    expect((await read()).status).toBe(200);
    expect((await tokensPost(req("POST", "/api/tokens", { ...viewer, origin: BASE }, { name: "x", scope: "admin" }))).status).toBe(403);
    const id = String(made.body.row.id);
    expect((await tokenDelete(req("DELETE", `/api/tokens/${id}`, { ...admin, origin: BASE }), { params: Promise.resolve({ id }) })).status).toBe(200);
    expect((await read()).status).toBe(401);
    expect((await tokenDelete(req("DELETE", `/api/tokens/${id}`, { ...admin, origin: BASE }), { params: Promise.resolve({ id }) })).status).toBe(404);
    const trail = await (await app()).store.audit.list({ limit: 5, actor: ADMIN.email });
    expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(["token.create", "token.revoke"]));
    expect(JSON.stringify(trail)).not.toContain(token);
  });

  it("accounts from the access routes: invite, change teams, remove; the last admin stays; viewers may not", async () => {
    const invited = await answer(await accountsPost(req("POST", "/api/accounts", { ...admin, origin: BASE }, { email: "New@Example.com", role: "viewer", teams: ["team-b"] })));
    expect(invited.body).toMatchObject({ email: "new@example.com", role: "viewer", teams: ["team-b"], signIn: [] });
    const id: string = invited.body.id;
    const ctx = { params: Promise.resolve({ id }) };
    expect((await accountPatch(req("PATCH", `/api/accounts/${id}`, { ...admin, origin: BASE }, { role: "viewer", teams: ["team-a", "team-b"] }), ctx)).status).toBe(200);
    const list = (await answer(await accountsGet(req("GET", "/api/accounts", admin)))).body;
    expect(list.accounts.find((a: { id: string }) => a.id === id).teams).toEqual(["team-a", "team-b"]);
    expect(JSON.stringify(list)).not.toMatch(/password"?\s*:\s*"[^"]/);
    expect((await accountsPost(req("POST", "/api/accounts", { ...admin, origin: BASE }, { email: "new@example.com", role: "viewer" }))).status).toBe(409);
    expect((await accountsPost(req("POST", "/api/accounts", { ...admin, origin: BASE }, { email: "x@example.com", role: "owner" }))).status).toBe(422);
    expect((await accountsGet(req("GET", "/api/accounts", viewer))).status).toBe(403);
    const adminId: string = list.accounts.find((a: { email: string }) => a.email === ADMIN.email).id;
    const last = await answer(await accountPatch(req("PATCH", `/api/accounts/${adminId}`, { ...admin, origin: BASE }, { role: "viewer", teams: null }), { params: Promise.resolve({ id: adminId }) }));
    expect(last).toMatchObject({ status: 409, body: { error: { message: "This is the only admin: make another admin first" } } });
    expect((await accountDelete(req("DELETE", `/api/accounts/${id}`, { ...admin, origin: BASE }), ctx)).status).toBe(200);
    expect((await accountDelete(req("DELETE", `/api/accounts/${id}`, { ...admin, origin: BASE }), ctx)).status).toBe(404);
  });

  it("LiteLLM refuses (upperbound_key_generate_params): LiteLLM's words in the answer and the audit, the key unchanged", async () => {
    const hash = keys["team-a-key"];
    const res = await answer(await edit(hash, admin, { rpm_limit: 5000, reason: "more" }));
    expect(res).toMatchObject({ status: 200, body: { outcome: "refused", message: expect.stringContaining("rpm_limit is over max limit set in config - user_value=5000; max_value=1000") } });
    const [entry] = await (await app()).store.audit.list({ keyHash: hash, limit: 1 });
    expect(entry).toMatchObject({ outcome: "refused", before: { rpm_limit: null }, after: { rpm_limit: 5000 }, message: res.body.message });
    expect((await keyInfo(hash)).rpm_limit).toBeNull();
  });

  it("sign-out everywhere ends every session of the account; other accounts stay signed in", async () => {
    const second = await signIn(VIEWER);
    const range = `from=${Date.now() - 3_600_000}&to=${Date.now()}`;
    const status = async (who: Headers) => (await overviewGet(req("GET", `/api/overview?${range}`, who))).status;
    expect([await status(viewer), await status(second)]).toEqual([200, 200]);
    const out = await authPost(req("POST", "/api/auth/revoke-sessions", { ...second, origin: BASE }, {}));
    expect(out.status).toBe(200);
    expect([await status(viewer), await status(second), await status(admin)]).toEqual([401, 401, 200]);
  });

  it("sign-in is throttled per address and per account: a forged X-Forwarded-For does not buy more guesses", async () => {
    const attempt = (email: string, ip: string) =>
      authPost(req("POST", "/api/auth/sign-in/email", { origin: BASE, "x-forwarded-for": ip }, { email, password: "wrong-password-0000" }));
    const byAddress = [];
    for (let i = 0; i < 11; i++) byAddress.push((await attempt(`guess-${i}@example.com`, "203.0.113.9")).status);
    expect(byAddress).toEqual([...Array(10).fill(401), 429]);
    const byAccount = [];
    for (let i = 0; i < 11; i++) byAccount.push((await attempt("target@example.com", `198.51.100.${i}`)).status);
    expect(byAccount).toEqual([...Array(10).fill(401), 429]);
    // Others are not held back by these guesses.
    const other = await authPost(req("POST", "/api/auth/sign-in/email", { origin: BASE, "x-forwarded-for": "203.0.113.10" }, VIEWER));
    expect(other.status).toBe(200);
  });

  it("LiteLLM unreachable: the attempt is audited, the answer says so", async () => {
    await sim.stop();
    const hash = keys["team-a-key"];
    const res = await answer(await edit(hash, admin, { max_parallel_requests: 9 }));
    expect(res).toMatchObject({ status: 503, body: { error: { code: "litellm_unreachable" } } });
    const [entry] = await (await app()).store.audit.list({ keyHash: hash, limit: 1 });
    expect(entry).toMatchObject({ outcome: "unreachable", before: null, after: { max_parallel_requests: 9 }, actorLabel: ADMIN.email });
  });
});
