// The delivery job over a real store and real local receivers: a receiver failing N times in a row
// pauses its channel (nothing is sent while paused, nothing is lost), resuming delivers what
// queued up; a notification given up after its attempts can be resent; Retry-After is honoured.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverDue, type DeliverySettings } from "../../lib/alerts/deliver";
import type { AlertChannel, AlertChanges } from "../../lib/alerts/repository";
import type { AlertNotification } from "../../lib/alerts/types";
import { startReceiver, type Receiver } from "../support/receiver";
import { createTestStore, type TestStore } from "../support/store";

const SETTINGS: DeliverySettings = { timeoutMs: 2_000, allowedHosts: ["127.0.0.1"], retryBaseMs: 1_000, retryMaxMs: 4_000, maxAttempts: 4, pauseAfter: 3, batch: 50 };
const SECRET = `whsec_${Buffer.from("deliver-test-secret-0123456789ab").toString("base64")}`;

function payload(alertId: string): AlertNotification {
  return {
    id: "",
    alertId,
    detector: "exceeded",
    phase: "firing",
    event: "concurrency_limit_exceeded",
    ruleName: "r",
    keyHash: "a".repeat(64),
    keyAlias: "k",
    teamId: null,
    limit: 2,
    peak: 4,
    startedAt: new Date(0).toISOString(),
    endedAt: null,
    summary: "s",
    url: "http://inflight.example/keys/x",
    environment: null,
  };
}

describe("deliverDue", () => {
  let t: TestStore;
  let rx: Receiver;
  let now: number;

  beforeEach(async () => {
    t = await createTestStore("sqlite");
    rx = await startReceiver();
    now = Date.now();
    const channel: AlertChannel = {
      id: "hook",
      name: "hook",
      type: "webhook",
      config: { url: `${rx.url}/hook`, secret: SECRET },
      teamId: null,
      source: "ui",
      enabled: true,
      consecutiveFailures: 0,
      pausedAtMs: null,
      lastError: null,
      createdAtMs: now,
      updatedAtMs: now,
    };
    await t.store.alerts.saveChannel(channel);
  });
  afterEach(async () => {
    await rx.stop();
    await t.close();
  });

  /** Queues one notification per alert id, due now. */
  async function queue(...alertIds: string[]) {
    const c: AlertChanges = {
      upsert: [],
      remove: [],
      notifications: alertIds.map((a) => ({ id: `n-${a}`, alertId: a, channelId: "hook", phase: "firing", payload: payload(a), nextAttemptMs: now, createdAtMs: now })),
    };
    await t.store.alerts.apply(c);
  }
  const run = (atMs: number) => deliverDue({ alerts: t.store.alerts, settings: SETTINGS, envConfigs: new Map(), random: () => 0.5 }, atMs);

  it("pauses a channel failing pauseAfter times in a row; resuming delivers what queued up meanwhile", async () => {
    rx.answer({ status: 500, body: "down" });
    await queue("a1", "a2", "a3");
    expect(await run(now)).toMatchObject({ claimed: 3, sent: 0, retrying: 3 });
    const ch = (await t.store.alerts.getChannel("hook"))!;
    expect(ch.pausedAtMs).not.toBeNull();
    expect(ch.lastError).toMatch(/500/);
    await queue("a4");
    // Paused: nothing is claimed however late it is.
    expect(await run(now + 60_000)).toMatchObject({ claimed: 0 });
    expect(rx.requests).toHaveLength(3);

    rx.answer({ status: 200, body: "ok" });
    await t.store.alerts.resumeChannel("hook", now + 60_000);
    expect(await run(now + 60_000)).toMatchObject({ claimed: 4, sent: 4 });
    expect(new Set(rx.requests.slice(3).map((r) => r.headers["webhook-id"]))).toEqual(new Set(["n-a1", "n-a2", "n-a3", "n-a4"]));
    expect((await t.store.alerts.getChannel("hook"))!.consecutiveFailures).toBe(0);
  });

  it("retries with backoff no sooner than Retry-After, gives up after maxAttempts, and a resend delivers it", async () => {
    rx.answer({ status: 503, headers: { "retry-after": "3" } });
    await queue("b1");
    await run(now);
    const [n] = await t.store.alerts.notificationsOf("b1");
    // Backoff would be 0.5–1 s; the receiver asked for 3 s.
    expect(n.nextAttemptMs).toBeGreaterThanOrEqual(now + 3_000);
    expect(await run(now + 2_000)).toMatchObject({ claimed: 0 });
    rx.answer({ status: 503 });
    let at = n.nextAttemptMs;
    for (let i = 0; i < 3; i++) {
      await t.store.alerts.resumeChannel("hook", at); // keep it from pausing: this test is about one notification
      await run(at);
      at = (await t.store.alerts.notificationsOf("b1"))[0].nextAttemptMs;
    }
    const failed = (await t.store.alerts.notificationsOf("b1"))[0];
    expect(failed).toMatchObject({ status: "failed", attempts: 4, lastError: expect.stringMatching(/503/) });
    expect(await t.store.alerts.attemptsOf(failed.id)).toHaveLength(4);

    rx.answer({ status: 200 });
    await t.store.alerts.resumeChannel("hook", at);
    await t.store.alerts.resend(failed.id, at);
    expect(await run(at)).toMatchObject({ sent: 1 });
    expect((await t.store.alerts.notificationsOf("b1"))[0]).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("Slack gets a rule's alerts due together as one message; each notification records the attempt", async () => {
    const slack: AlertChannel = { ...(await t.store.alerts.getChannel("hook"))!, id: "slack", type: "slack", config: { webhookUrl: `${rx.url}/services/T/B/x` } };
    await t.store.alerts.saveChannel(slack);
    const alertIds = ["s1", "s2", "s3"];
    await t.store.alerts.apply({
      upsert: [],
      remove: [],
      notifications: alertIds.map((a, i) => ({ id: `n-${a}`, alertId: a, channelId: "slack", phase: "firing", payload: { ...payload(a), keyAlias: `key-${i}` }, nextAttemptMs: now, createdAtMs: now })),
    });
    expect(await run(now)).toMatchObject({ claimed: 3, sent: 3 });
    expect(rx.requests).toHaveLength(1);
    const body = JSON.parse(rx.requests[0].body) as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(body.blocks[0].text!.text).toMatch(/3 alerts: r/);
    expect(body.blocks.filter((b) => b.type === "section").map((b) => b.text!.text)).toEqual([expect.stringContaining("key-0"), expect.stringContaining("key-1"), expect.stringContaining("key-2")]);
    expect(body.text).toMatch(/key-0.*key-1.*key-2/);
    for (const a of alertIds) expect(await t.store.alerts.attemptsOf(`n-${a}`)).toHaveLength(1);
  });

  it("a refused target (private address not allowed) fails at once and says why, without a request", async () => {
    await queue("c1");
    await deliverDue({ alerts: t.store.alerts, settings: { ...SETTINGS, allowedHosts: [] }, envConfigs: new Map() }, now);
    const [n] = await t.store.alerts.notificationsOf("c1");
    expect(n.status).toBe("failed");
    expect(n.lastError).toMatch(/ALERT_ALLOWED_HOSTS/);
    expect(rx.requests).toHaveLength(0);
  });
});
