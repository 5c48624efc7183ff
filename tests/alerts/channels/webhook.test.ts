// The webhook channel against a real receiver: the flat JSON body, Standard Webhooks headers whose
// signature verifies with the standardwebhooks library (and fails with another secret), the same
// webhook-id on a retry, config validation and redaction.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { validateChannelConfig } from "../../../lib/alerts/channels";
import { type WebhookConfig, webhookNotifier } from "../../../lib/alerts/channels/webhook";
import { CHART_URL, context, headerRecord, KEY_HASH, notification, useReceiver } from "./fixtures";

const r = useReceiver();
const SECRET = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
const OTHER_SECRET = `whsec_${Buffer.alloc(32, 8).toString("base64")}`;
const config = (): WebhookConfig => ({ url: `${r.rx.url}/hooks/inflight-7Hk2p`, secret: SECRET });

describe("what the receiver gets", () => {
  it("a flat JSON body and Standard Webhooks headers", async () => {
    const n = notification();
    const before = Math.floor(Date.now() / 1000);
    expect(await webhookNotifier.send(n, config(), context())).toMatchObject({ ok: true, status: 200 });

    const got = r.rx.requests[0];
    expect([got.method, got.path]).toEqual(["POST", "/hooks/inflight-7Hk2p"]);
    expect(JSON.parse(got.body)).toEqual({
      event: "concurrency_limit_exceeded",
      alert_id: "alr_01JD8Z0",
      key_hash: KEY_HASH,
      key_alias: "prod-app",
      team_id: "team-search",
      limit: 4,
      peak: 6,
      started_at: "2026-11-25T01:52:07.000Z",
      ended_at: null,
      url: CHART_URL,
      environment: "production",
      summary: "Key prod-app had 6 requests in flight against its limit of 4.",
      rule: "Over the limit",
      phase: "firing",
      test: false,
    });
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["webhook-id"]).toBe(n.id);
    expect(Number(got.headers["webhook-timestamp"])).toBeGreaterThanOrEqual(before);
    expect(Number(got.headers["webhook-timestamp"])).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(got.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it("the signature verifies with the secret, and not with another one or a changed body", async () => {
    await webhookNotifier.send(notification(), config(), context());
    const got = r.rx.requests[0];
    const headers = headerRecord(got.headers);
    expect(new Webhook(SECRET).verify(got.body, headers)).toEqual(JSON.parse(got.body));
    expect(() => new Webhook(OTHER_SECRET).verify(got.body, headers)).toThrow(/No matching signature/);
    expect(() => new Webhook(SECRET).verify(got.body.replace('"peak":6', '"peak":7'), headers)).toThrow(/No matching signature/);
  });

  it("a retry carries the same webhook-id, freshly signed", async () => {
    const n = notification({ id: "ntf_retry_1" });
    r.rx.answer({ status: 503, headers: { "retry-after": "2" } }, 1);
    expect(await webhookNotifier.send(n, config(), context())).toMatchObject({ ok: false, status: 503, retryAfterMs: 2_000, permanent: false });
    expect(await webhookNotifier.send(n, config(), context())).toMatchObject({ ok: true, status: 200 });
    expect(r.rx.requests.map((q) => q.headers["webhook-id"])).toEqual(["ntf_retry_1", "ntf_retry_1"]);
    for (const q of r.rx.requests) expect(() => new Webhook(SECRET).verify(q.body, headerRecord(q.headers))).not.toThrow();
  });

  it("the event follows the phase: .resolved and .past", async () => {
    const events = [];
    for (const phase of ["firing", "repeat", "resolved", "past"] as const) {
      const rendered = webhookNotifier.render(notification({ detector: "stuck", phase, endedAt: phase === "resolved" || phase === "past" ? "2026-11-25T02:10:00.000Z" : null }), config());
      events.push(JSON.parse(rendered!.body).event);
    }
    expect(events).toEqual(["limiter_stuck", "limiter_stuck", "limiter_stuck.resolved", "limiter_stuck.past"]);
  });

  it("render signs at the instant given", () => {
    const nowMs = Date.parse("2026-11-25T02:00:00.500Z");
    const rendered = webhookNotifier.render(notification(), config(), nowMs)!;
    expect(rendered.headers["webhook-timestamp"]).toBe(String(nowMs / 1000 - 0.5));
    expect(rendered.headers["webhook-signature"]).toBe(new Webhook(SECRET).sign(notification().id, new Date(nowMs), rendered.body));
  });

  it("test(): a message marked as a test, about no real key, through the same path", async () => {
    expect(await webhookNotifier.test(config(), context())).toMatchObject({ ok: true, status: 200 });
    const got = r.rx.requests[0];
    expect(JSON.parse(got.body)).toMatchObject({ event: "concurrency_limit_exceeded", test: true, key_hash: "test-key", summary: expect.stringMatching(/^This is a test from Inflight/) });
    expect(got.headers["webhook-id"]).toMatch(/^test-/);
    expect(() => new Webhook(SECRET).verify(got.body, headerRecord(got.headers))).not.toThrow();
  });
});

describe("config", () => {
  const check = (input: unknown) => validateChannelConfig("webhook", input, []);

  it("accepts an http(s) URL and a whsec_ secret of 24 to 64 bytes", () => {
    expect(check({ url: " https://hooks.example.com/inflight ", secret: SECRET })).toEqual({ ok: true, config: { url: "https://hooks.example.com/inflight", secret: SECRET } });
    for (const bytes of [24, 64]) expect(check({ url: "http://example.com/", secret: `whsec_${Buffer.alloc(bytes, 1).toString("base64")}` }).ok).toBe(true);
  });

  it("refuses bad URLs and secrets with readable messages that never quote the secret", () => {
    const errors = (input: unknown) => {
      const res = check(input);
      return res.ok ? [] : res.errors;
    };
    expect(errors({})).toEqual(["url: The webhook URL is required", "secret: The signing secret is required"]);
    expect(errors({ url: "hooks.example.com/x", secret: SECRET })).toEqual(["url: The webhook URL must be a URL such as https://example.com/hooks/inflight"]);
    expect(errors({ url: "ftp://example.com/x", secret: SECRET })).toEqual(["url: The webhook URL must start with http:// or https://"]);
    const notBase64 = "whsec_this is not base64!!";
    const noPrefix = Buffer.alloc(32, 7).toString("base64");
    const short = `whsec_${Buffer.alloc(16, 7).toString("base64")}`;
    const long = `whsec_${Buffer.alloc(65, 7).toString("base64")}`;
    for (const secret of [notBase64, noPrefix, "whsec_", "s3cret-s3cret-s3cret-s3cret"]) {
      expect(errors({ url: "https://example.com/", secret })).toEqual(["secret: The signing secret must be whsec_ followed by base64 (a Standard Webhooks secret)"]);
    }
    for (const secret of [short, long]) expect(errors({ url: "https://example.com/", secret })).toEqual(["secret: The signing secret must decode to 24 to 64 bytes (Standard Webhooks)"]);
  });
});

describe("redact", () => {
  it("shows the URL's scheme and host, and the secret's last four characters", () => {
    const shown = webhookNotifier.redact({ url: "https://user:pw@hooks.example.com:8443/t/0k3n?sig=abc", secret: SECRET });
    expect(shown).toEqual({ url: "https://hooks.example.com:8443/…", secret: `whsec_…${SECRET.slice(-4)}` });
    expect(JSON.stringify(shown)).not.toMatch(/0k3n|sig=abc|pw/);
    expect(webhookNotifier.redact({ url: "https://hooks.example.com", secret: SECRET }).url).toBe("https://hooks.example.com");
  });
});
