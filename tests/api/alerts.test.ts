// The alert routes: viewers read, admins write (403 otherwise), bad input answers 422 with the
// field's message, secrets never come back, environment channels are shown but not editable, the
// Test button reaches a real receiver signed, every admin write is audited, and the Prometheus
// rules file holds the enabled rules.
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listAlerts } from "../../app/api/alerts/route";
import { DELETE as deleteChannel, PATCH as patchChannel } from "../../app/api/alerts/channels/[id]/route";
import { POST as testChannel } from "../../app/api/alerts/channels/[id]/test/route";
import { GET as listChannels, POST as createChannel } from "../../app/api/alerts/channels/route";
import { POST as readFeed } from "../../app/api/alerts/feed/read/route";
import { GET as feed } from "../../app/api/alerts/feed/route";
import { GET as promRules } from "../../app/api/alerts/prometheus-rules/route";
import { DELETE as deleteRule, PUT as putRule } from "../../app/api/alerts/rules/[id]/route";
import { GET as listRules, POST as createRule } from "../../app/api/alerts/rules/route";
import { DELETE as endSilence } from "../../app/api/alerts/silences/[id]/route";
import { GET as listSilences, POST as addSilence } from "../../app/api/alerts/silences/route";
import { POST as resend } from "../../app/api/alerts/notifications/[id]/resend/route";
import { scopeFields, visibleToCaller } from "../../app/api/_lib/alerting";
import { issueToken } from "../../lib/accounts/api-tokens";
import { app } from "../../lib/server/app";
import { startReceiver, type Receiver } from "../support/receiver";
import { setAppEnv } from "../support/app-env";
import { createTestDatabase } from "../support/store";

const BASE = "http://inflight.test";
const SECRET = `whsec_${Buffer.from("api-test-secret-0123456789abcdef").toString("base64")}`;
const ENV_SLACK_PATH = "/services/T000/B000/secretpart";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const call = async (h: unknown, method: string, path: string, token: string, body?: unknown, params: Record<string, string> = {}) => {
  const res = await (h as Handler)(
    new Request(`${BASE}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) }, body: body === undefined ? undefined : JSON.stringify(body) }),
    { params: Promise.resolve(params) },
  );
  const text = await res.text();
  return { status: res.status, text, json: text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null };
};

describe("alert routes", () => {
  let db: { url: string; remove(): Promise<void> };
  let rx: Receiver;
  let admin = "";
  let viewer = "";
  let restoreEnv: () => void = () => undefined;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    rx = await startReceiver();
    restoreEnv = setAppEnv({
      INFLIGHT_DATABASE_URL: db.url,
      INFLIGHT_PUBLIC_URL: BASE,
      INFLIGHT_ENVIRONMENT: "staging",
      ALERT_ALLOWED_HOSTS: "127.0.0.1",
      ALERT_SLACK_WEBHOOK_URL: `${rx.url}${ENV_SLACK_PATH}`,
    });
    const a = await app();
    admin = (await issueToken(a.store.tokens, { name: "admin", scope: "admin", createdBy: "test" })).token;
    viewer = (await issueToken(a.store.tokens, { name: "viewer", scope: "viewer", createdBy: "test" })).token;
  }, 60_000);
  afterAll(async () => {
    await (await app()).store.close();
    await rx?.stop();
    await db?.remove();
    restoreEnv();
  });

  it("viewers read alerts, rules, silences and the feed; every write and the channels are admin-only", async () => {
    expect((await call(listAlerts, "GET", "/api/alerts", viewer)).json).toEqual({ alerts: [], environment: "staging" });
    const rules = (await call(listRules, "GET", "/api/alerts/rules", viewer)).json.rules;
    expect(rules.map((r: { id: string }) => r.id).sort()).toEqual(["default-exceeded", "default-multiplied", "default-stuck"]);
    expect((await call(listSilences, "GET", "/api/alerts/silences", viewer)).status).toBe(200);
    expect((await call(feed, "GET", "/api/alerts/feed", viewer)).json).toMatchObject({ items: [], unread: 0, environment: "staging" });
    for (const [h, method, path, body, params] of [
      [createRule, "POST", "/api/alerts/rules", { name: "x", detector: "exceeded", scope: { kind: "all" } }, {}],
      [putRule, "PUT", "/api/alerts/rules/default-stuck", { name: "x", detector: "stuck", scope: { kind: "all" } }, { id: "default-stuck" }],
      [deleteRule, "DELETE", "/api/alerts/rules/default-stuck", undefined, { id: "default-stuck" }],
      [listChannels, "GET", "/api/alerts/channels", undefined, {}],
      [createChannel, "POST", "/api/alerts/channels", { name: "x", type: "slack", config: {} }, {}],
      [testChannel, "POST", "/api/alerts/channels/in-app/test", undefined, { id: "in-app" }],
      [addSilence, "POST", "/api/alerts/silences", { ruleId: "default-stuck", minutes: 5, comment: "x" }, {}],
    ] as const) {
      const r = await call(h, method, path, viewer, body, params);
      expect(r.status, `${method} ${path}`).toBe(403);
    }
    expect((await call(listAlerts, "GET", "/api/alerts", "ift_not-a-token")).status).toBe(401);
  });

  it("rules: made, edited, refused with the field's message, built-ins kept; audited", async () => {
    const bad = await call(createRule, "POST", "/api/alerts/rules", admin, { name: "r", detector: "stuck", scope: { kind: "all" }, params: { belowRatio: 2 } });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/params\.belowRatio/);
    expect((await call(createRule, "POST", "/api/alerts/rules", admin, { name: "r", detector: "stuck", scope: { kind: "all" }, params: { nope: 1 } })).status).toBe(422);
    expect((await call(createRule, "POST", "/api/alerts/rules", admin, { name: "r", detector: "nope", scope: { kind: "all" } })).status).toBe(422);
    expect((await call(createRule, "POST", "/api/alerts/rules", admin, { name: "r", detector: "exceeded", scope: { kind: "key", keyHash: "xyz" } })).text).toMatch(/64 hex/);

    const made = await call(createRule, "POST", "/api/alerts/rules", admin, { name: "Team A drift", detector: "drift", scope: { kind: "team", teamId: "team-a" }, params: { threshold: 3 } });
    expect(made.status).toBe(200);
    const id = made.json.id;
    const edited = await call(putRule, "PUT", `/api/alerts/rules/${id}`, admin, { name: "Team A drift", detector: "drift", scope: { kind: "team", teamId: "team-a" }, params: { threshold: 4 }, enabled: false }, { id });
    expect(edited.json).toMatchObject({ params: { threshold: 4 }, enabled: false });
    expect((await call(putRule, "PUT", "/api/alerts/rules/default-stuck", admin, { name: "s", detector: "drift", scope: { kind: "all" } }, { id: "default-stuck" })).status).toBe(422);
    expect((await call(deleteRule, "DELETE", "/api/alerts/rules/default-stuck", admin, undefined, { id: "default-stuck" })).status).toBe(409);
    expect((await call(deleteRule, "DELETE", `/api/alerts/rules/${id}`, admin, undefined, { id })).status).toBe(200);
    expect((await call(deleteRule, "DELETE", `/api/alerts/rules/${id}`, admin, undefined, { id })).status).toBe(404);

    const audit = await (await app()).store.audit.list({ limit: 20 });
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(["alert.rule.create", "alert.rule.update", "alert.rule.delete"]));
    expect(audit.find((e) => e.action === "alert.rule.update")).toMatchObject({ actorLabel: "token admin", before: { params: { threshold: 3 } }, after: { params: { threshold: 4 } } });
  });

  it("channels: secrets never come back; the environment's channel is shown but not editable; Test reaches the receiver signed", async () => {
    const bad = await call(createChannel, "POST", "/api/alerts/channels", admin, { name: "hook", type: "webhook", config: { url: `${rx.url}/hook`, secret: "not-a-secret" } });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/whsec_/);
    expect(bad.text).not.toContain("not-a-secret");
    const made = await call(createChannel, "POST", "/api/alerts/channels", admin, { name: "hook", type: "webhook", config: { url: `${rx.url}/hook`, secret: SECRET } });
    expect(made.status).toBe(200);
    const list = await call(listChannels, "GET", "/api/alerts/channels", admin);
    expect(list.text).not.toContain(SECRET.slice(8, 30));
    expect(list.text).not.toContain("secretpart");
    const byId = new Map(list.json.channels.map((c: { id: string }) => [c.id, c]));
    expect(byId.get("env-slack")).toMatchObject({ source: "env", type: "slack" });
    expect(byId.get("in-app")).toMatchObject({ source: "builtin" });
    expect((await call(patchChannel, "PATCH", "/api/alerts/channels/env-slack", admin, { name: "renamed" }, { id: "env-slack" })).status).toBe(409);
    expect((await call(patchChannel, "PATCH", "/api/alerts/channels/env-slack", admin, { enabled: false }, { id: "env-slack" })).json).toMatchObject({ enabled: false });
    expect((await call(deleteChannel, "DELETE", "/api/alerts/channels/env-slack", admin, undefined, { id: "env-slack" })).status).toBe(409);

    // An edit without the secret keeps it; the Test message verifies with it.
    const id = made.json.id;
    expect((await call(patchChannel, "PATCH", `/api/alerts/channels/${id}`, admin, { name: "hook 2", config: { secret: "" } }, { id })).json).toMatchObject({ name: "hook 2" });
    const tested = await call(testChannel, "POST", `/api/alerts/channels/${id}/test`, admin, undefined, { id });
    expect(tested.json).toMatchObject({ ok: true, status: 200 });
    const got = rx.requests.at(-1)!;
    expect(got.path).toBe("/hook");
    expect(() => new Webhook(SECRET).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    expect(JSON.parse(got.body)).toMatchObject({ test: true, environment: "staging" });

    // A target on a private address that is not allowed: the test says why, nothing is sent.
    const priv = await call(createChannel, "POST", "/api/alerts/channels", admin, { name: "private", type: "webhook", config: { url: "http://10.1.2.3/hook", secret: SECRET } });
    const refused = await call(testChannel, "POST", `/api/alerts/channels/${priv.json.id}/test`, admin, undefined, { id: priv.json.id });
    expect(refused.json).toMatchObject({ ok: false, permanent: true, error: expect.stringContaining("ALERT_ALLOWED_HOSTS") });

    // The in-app channel's test lands in the bell's feed; reading it clears the count.
    expect((await call(testChannel, "POST", "/api/alerts/channels/in-app/test", admin, undefined, { id: "in-app" })).json).toMatchObject({ ok: true });
    const bell = (await call(feed, "GET", "/api/alerts/feed", admin)).json;
    expect(bell.unread).toBe(1);
    await call(readFeed, "POST", "/api/alerts/feed/read", admin, { toId: bell.items[0].id });
    expect((await call(feed, "GET", "/api/alerts/feed", admin)).json.unread).toBe(0);
  });

  it("a team-limited viewer sees rules and silences of every key and of its teams' keys only", async () => {
    const a = await app();
    await a.store.catalog.apply({ upserts: [{ token: "c".repeat(64), key_alias: "theirs", team_id: "team-b", max_parallel_requests: 2, rpm_limit: null, tpm_limit: null, blocked: false } as never], limitChanges: [], removed: [] }, Date.now());
    const mk = (name: string, scope: object) => call(createRule, "POST", "/api/alerts/rules", admin, { name, detector: "exceeded", scope });
    await mk("team b", { kind: "team", teamId: "team-b" });
    await mk("their key", { kind: "key", keyHash: "c".repeat(64) });
    await mk("team a", { kind: "team", teamId: "team-a" });
    const visible = await visibleToCaller({ app: a, principal: { kind: "user", id: "u", label: "v@example.com", role: "viewer", teams: ["team-a"] } });
    const names = (await a.store.alerts.listRules()).filter((r) => visible(scopeFields(r.scope))).map((r) => r.name);
    expect(names).toContain("team a");
    expect(names).toContain("Concurrency above the limit");
    expect(names).not.toContain("team b");
    expect(names).not.toContain("their key");
    expect(visible({ keyHash: "c".repeat(64), teamId: null })).toBe(false);
    expect(visible({ keyHash: null, teamId: null })).toBe(true);
  });

  it("a firing message is not resent once a later one of its alert went out on that channel (it would reopen it there)", async () => {
    const a = await app();
    const n = (id: string, phase: "firing" | "resolved", at: number) => ({
      id,
      alertId: "al-resend",
      channelId: "in-app",
      phase,
      payload: { id, alertId: "al-resend", detector: "exceeded" as const, phase, event: "e", ruleName: "r", keyHash: "c".repeat(64), keyAlias: null, teamId: null, limit: 1, peak: 2, startedAt: new Date(0).toISOString(), endedAt: null, summary: "s", url: "", environment: null },
      nextAttemptMs: at,
      createdAtMs: at,
    });
    await a.store.alerts.apply({ upsert: [], remove: [], notifications: [n("fire-1", "firing", 1), n("resolve-1", "resolved", 2)] });
    for (const id of ["fire-1", "resolve-1"]) await a.store.alerts.recordAttempt({ notificationId: id, atMs: 3, ok: true, httpStatus: null, latencyMs: 1, error: null }, { status: "sent" });
    const refused = await call(resend, "POST", "/api/alerts/notifications/fire-1/resend", admin, undefined, { id: "fire-1" });
    expect(refused.status).toBe(409);
    expect(refused.text).toMatch(/later message/);
    expect((await call(resend, "POST", "/api/alerts/notifications/resolve-1/resend", admin, undefined, { id: "resolve-1" })).status).toBe(200);
    expect((await call(resend, "POST", "/api/alerts/notifications/nope/resend", admin, undefined, { id: "nope" })).status).toBe(404);
  });

  it("silences need a scope and a reason; end on demand; the Prometheus rules file holds the enabled rules", async () => {
    expect((await call(addSilence, "POST", "/api/alerts/silences", admin, { minutes: 60, comment: "maintenance" })).status).toBe(422);
    expect((await call(addSilence, "POST", "/api/alerts/silences", admin, { ruleId: "default-stuck", minutes: 60, comment: "" })).text).toMatch(/comment/);
    const s = await call(addSilence, "POST", "/api/alerts/silences", admin, { ruleId: "default-stuck", minutes: 60, comment: "maintenance" });
    expect(s.json).toMatchObject({ ruleId: "default-stuck", comment: "maintenance", createdBy: "token admin" });
    expect((await call(listSilences, "GET", "/api/alerts/silences", viewer)).json.silences).toHaveLength(1);
    expect((await call(endSilence, "DELETE", `/api/alerts/silences/${s.json.id}`, admin, undefined, { id: s.json.id })).status).toBe(200);
    expect((await call(listSilences, "GET", "/api/alerts/silences", viewer)).json.silences).toHaveLength(0);

    const file = await call(promRules, "GET", "/api/alerts/prometheus-rules", viewer);
    expect(file.status).toBe(200);
    for (const name of ["concurrency_limit_exceeded", "limiter_stuck", "limit_multiplied"]) expect(file.text).toContain(`- alert: ${name}`);
    expect(file.text).toContain('environment: "staging"');
    expect(file.text).toContain("increase(inflight_key_violation_seconds_total[5m]) > 0");
  });
});
