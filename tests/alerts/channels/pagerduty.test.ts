// The PagerDuty channel against a real receiver answering like the Events API v2 (202 and
// {status, message, dedup_key}): trigger and resolve events keyed by the alert, severities, the
// past-episode rule (nothing sent), retryable and permanent answers, config and redaction.
import { describe, expect, it } from "vitest";
import { validateChannelConfig } from "../../../lib/alerts/channels";
import { PAGERDUTY_EVENTS_URL, type PagerDutyConfig, pagerDutyNotifier } from "../../../lib/alerts/channels/pagerduty";
import type { AlertNotification } from "../../../lib/alerts/types";
import { CHART_URL, context, KEY_HASH, notification, useReceiver } from "./fixtures";

const r = useReceiver();
const ROUTING_KEY = "e93facc04764012d7bfb002500d5d1a6";
const config = (): PagerDutyConfig => ({ routingKey: ROUTING_KEY, url: `${r.rx.url}/v2/enqueue` });
const accepted = (dedupKey = "alr_01JD8Z0") => ({ status: 202, body: { status: "success", message: "Event processed", dedup_key: dedupKey } });

async function sent(n: AlertNotification): Promise<Record<string, unknown>> {
  r.rx.reset();
  r.rx.answer(accepted(n.alertId), 1);
  expect(await pagerDutyNotifier.send(n, config(), context())).toMatchObject({ ok: true, status: 202 });
  expect(r.rx.requests.map((q) => [q.method, q.path, q.headers["content-type"]])).toEqual([["POST", "/v2/enqueue", "application/json"]]);
  return JSON.parse(r.rx.requests[0].body);
}

describe("events", () => {
  it("firing: a trigger keyed by the alert, with the facts in PD-CEF", async () => {
    expect(await sent(notification())).toEqual({
      routing_key: ROUTING_KEY,
      event_action: "trigger",
      dedup_key: "alr_01JD8Z0",
      payload: {
        summary: "[production] Limit exceeded on key prod-app: Key prod-app had 6 requests in flight against its limit of 4.",
        source: "inflight:production",
        severity: "critical",
        timestamp: "2026-11-25T01:52:07.000Z",
        component: "prod-app",
        group: "team-search",
        class: "exceeded",
        custom_details: {
          key_hash: KEY_HASH,
          limit: 4,
          peak: 6,
          started_at: "2026-11-25T01:52:07.000Z",
          ended_at: null,
          environment: "production",
          rule: "Over the limit",
        },
      },
      links: [{ href: CHART_URL, text: "Chart in Inflight" }],
      client: "Inflight",
      client_url: "https://inflight.example.com",
    });
  });

  it("repeat: another trigger on the same dedup_key (it lands on the open alert)", async () => {
    const body = await sent(notification({ phase: "repeat" }));
    expect([body.event_action, body.dedup_key]).toEqual(["trigger", "alr_01JD8Z0"]);
    expect((body.payload as { summary: string }).summary).toMatch(/^\[production\] Still firing: /);
  });

  it("resolved: a resolve with nothing but the routing key, dedup_key and action", async () => {
    expect(await sent(notification({ phase: "resolved", endedAt: "2026-11-25T02:10:00.000Z" }))).toEqual({
      routing_key: ROUTING_KEY,
      dedup_key: "alr_01JD8Z0",
      event_action: "resolve",
    });
  });

  it("past: nothing is sent, and the outbox counts it done", async () => {
    const n = notification({ phase: "past", endedAt: "2026-11-25T02:10:00.000Z" });
    expect(pagerDutyNotifier.render(n, config())).toBeNull();
    expect(await pagerDutyNotifier.send(n, config(), context())).toEqual({ ok: true, status: null, latencyMs: 0, error: null, retryAfterMs: null, permanent: false });
    expect(r.rx.requests).toEqual([]);
  });

  it("severity: critical for exceeded and multiplied, error for stuck, warning for drift", async () => {
    const severities: Record<string, unknown> = {};
    for (const detector of ["exceeded", "multiplied", "stuck", "drift"] as const) {
      const body = JSON.parse(pagerDutyNotifier.render(notification({ detector }), config())!.body);
      severities[detector] = [body.payload.severity, body.payload.class];
    }
    expect(severities).toEqual({ exceeded: ["critical", "exceeded"], multiplied: ["critical", "multiplied"], stuck: ["error", "stuck"], drift: ["warning", "drift"] });
  });

  it("summary at most 1024 characters; no team, no group; no alias, the hash as component; no environment, plain source", async () => {
    const body = JSON.parse(pagerDutyNotifier.render(notification({ summary: "x".repeat(5000), teamId: null, keyAlias: null, environment: null }), config())!.body);
    expect(body.payload.summary).toHaveLength(1024);
    expect(body.payload).not.toHaveProperty("group");
    expect([body.payload.component, body.payload.source]).toEqual([KEY_HASH, "inflight"]);
  });

  it("test(): an info trigger marked as a test, then its resolve, so no incident stays open", async () => {
    r.rx.answer(accepted("x"));
    expect(await pagerDutyNotifier.test(config(), context())).toMatchObject({ ok: true, status: 202 });
    const [trigger, resolve] = r.rx.requests.map((q) => JSON.parse(q.body));
    expect(trigger).toMatchObject({
      event_action: "trigger",
      payload: { severity: "info", component: "test-key", summary: expect.stringMatching(/^Test from Inflight: .*This is a test from Inflight/) },
    });
    expect(trigger).not.toHaveProperty("links");
    expect(resolve).toEqual({ routing_key: ROUTING_KEY, dedup_key: trigger.dedup_key, event_action: "resolve" });
    expect(trigger.dedup_key).toMatch(/^test-/);
  });

  it("test(): a trigger PagerDuty refuses is the answer; no resolve follows", async () => {
    r.rx.answer({ status: 400, body: { status: "invalid event", message: "Event object is invalid", errors: ["Length of 'routing_key' is incorrect"] } }, 1);
    expect(await pagerDutyNotifier.test(config(), context())).toMatchObject({ ok: false, status: 400, permanent: true });
    expect(r.rx.requests).toHaveLength(1);
  });
});

describe("answers", () => {
  it("400 is permanent, and its error never holds the routing key even when echoed", async () => {
    r.rx.answer({ status: 400, body: { status: "invalid event", message: "Event object is invalid", errors: [`Unknown routing_key ${ROUTING_KEY}`] } }, 1);
    const res = await pagerDutyNotifier.send(notification(), config(), context());
    expect(res).toMatchObject({ ok: false, status: 400, permanent: true });
    expect(res.error).toMatch(/^127\.0\.0\.1:\d+ answered 400: \{"status":"invalid event","message":"Event object is invalid"/);
    expect(res.error).not.toContain(ROUTING_KEY);
  });

  it("429 and 5xx are retried, honouring Retry-After", async () => {
    r.rx.answer({ status: 429, headers: { "retry-after": "60" } }, 1);
    expect(await pagerDutyNotifier.send(notification(), config(), context())).toMatchObject({ ok: false, status: 429, retryAfterMs: 60_000, permanent: false });
    r.rx.answer({ status: 500, body: "" }, 1);
    expect(await pagerDutyNotifier.send(notification(), config(), context())).toMatchObject({ ok: false, status: 500, retryAfterMs: null, permanent: false });
  });
});

describe("config", () => {
  it("defaults the URL to the Events API and takes 20 to 64 URL-safe characters as a routing key", () => {
    expect(validateChannelConfig("pagerduty", { routingKey: ` ${ROUTING_KEY} ` }, [])).toEqual({ ok: true, config: { routingKey: ROUTING_KEY, url: PAGERDUTY_EVENTS_URL } });
    expect(validateChannelConfig("pagerduty", { routingKey: "R0123456789abcdef_-X", url: "https://events.eu.pagerduty.com/v2/enqueue" }, []).ok).toBe(true);
  });

  it("refuses a bad routing key or URL with readable messages that never quote the key", () => {
    const keyError = "routingKey: The routing key must be 20 to 64 letters, digits, - or _ (PagerDuty's Integration Key, usually 32 characters)";
    for (const routingKey of ["short", "x".repeat(65), "e93facc0 4764012d7bfb002500d5d1a6", `https://events.pagerduty.com/${ROUTING_KEY}`]) {
      expect(validateChannelConfig("pagerduty", { routingKey }, [])).toEqual({ ok: false, errors: [keyError] });
    }
    expect(validateChannelConfig("pagerduty", {}, [])).toEqual({ ok: false, errors: ["routingKey: The routing key is required"] });
    expect(validateChannelConfig("pagerduty", { routingKey: ROUTING_KEY, url: "events.pagerduty.com" }, [])).toEqual({
      ok: false,
      errors: ["url: The PagerDuty Events API URL must be a URL such as https://events.pagerduty.com/v2/enqueue"],
    });
  });

  it("redact shows the routing key's last four characters", () => {
    expect(pagerDutyNotifier.redact({ routingKey: ROUTING_KEY, url: PAGERDUTY_EVENTS_URL })).toEqual({ routingKey: "…d1a6", url: PAGERDUTY_EVENTS_URL });
  });
});
