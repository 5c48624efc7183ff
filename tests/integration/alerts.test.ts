// Alerts end to end, as operators run them: a runner process (`scripts/runner.ts`) with its
// channels configured by the environment (webhook, Slack, PagerDuty: local receivers), the default
// rules, and the simulator making a key exceed its limit the way per-worker counting does (two
// workers without a shared Redis). Each channel gets one firing message per episode, repeats
// spaced by the repeat interval, exactly one resolved message; signatures verify; a receiver
// answering 500 for a while gets everything afterwards; a runner killed mid-episode and started
// again sends nothing twice; a healthy key gets nothing.
import Redis from "ioredis";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInRules } from "../../lib/alerts/rules";
import { migrateStore } from "../../lib/store/migrate";
import { openStore } from "../../lib/store/open";
import type { Store } from "../../lib/store/store";
import { runTraffic } from "../../lib/traffic/generator";
import { startReceiver, type Receiver, type ReceivedRequest } from "../support/receiver";
import { startRedis } from "../support/redis";
import { spawnRunner } from "../support/runner-process";
import { leakSlots, simAdmin, startSimulator, type TestSimulator } from "../support/simulator";
import { createTestDatabase } from "../support/store";
import { waitFor } from "../support/wait";

const SECRET = `whsec_${Buffer.from("inflight-test-secret-0123456789abcdef").toString("base64")}`;
const ROUTING_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";
const HOLD_S = 6;
const REPEAT_S = 5;

/** Settings of a runner with time compressed: truth a few seconds behind, alerts held and repeated in seconds. */
function runnerEnv(db: string, sim: TestSimulator, rx: { hook: Receiver; slack: Receiver; pd: Receiver }): Record<string, string> {
  return {
    INFLIGHT_DATABASE_URL: db,
    LITELLM_URL: sim.url,
    LITELLM_MASTER_KEY: sim.masterKey,
    INFLIGHT_ENVIRONMENT: "test-env",
    INFLIGHT_PUBLIC_URL: "http://inflight.example",
    CATALOG_SYNC_INTERVAL_S: "5",
    INGEST_POLL_INTERVAL_S: "1",
    INGEST_MAX_REQUEST_S: "30",
    INGEST_FLUSH_LAG_S: "3",
    INGEST_CLOCK_SKEW_S: "1",
    INGEST_BACKFILL_HOURS: "1",
    ALERT_EVAL_INTERVAL_S: "1",
    ALERT_RESOLVE_HOLD_S: String(HOLD_S),
    ALERT_REPEAT_INTERVAL_S: String(REPEAT_S),
    ALERT_DELIVERY_INTERVAL_MS: "200",
    ALERT_GROUP_WAIT_S: "2",
    ALERT_RETRY_BASE_S: "1",
    ALERT_RETRY_MAX_S: "2",
    ALERT_ALLOWED_HOSTS: "127.0.0.1",
    ALERT_WEBHOOK_URL: `${rx.hook.url}/hook`,
    ALERT_WEBHOOK_SECRET: SECRET,
    ALERT_SLACK_WEBHOOK_URL: `${rx.slack.url}/services/T0/B0/x`,
    ALERT_PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
    ALERT_PAGERDUTY_URL: `${rx.pd.url}/v2/enqueue`,
  };
}

// Receivers hold JSON of several shapes.
const json = (r: ReceivedRequest) => JSON.parse(r.body) as Record<string, any>;

/** The webhook's flat body (lib/alerts/channels/webhook.ts). */
interface WebhookBody {
  event: string;
  phase: string;
  key_hash: string;
  limit: number | null;
  peak: number | null;
  url: string;
  environment: string | null;
  summary: string;
}

describe("alerts from a runner process to every channel", () => {
  const cleanups: (() => unknown)[] = [];
  let sim: TestSimulator;
  let rx: { hook: Receiver; slack: Receiver; pd: Receiver };
  let db: { url: string; remove(): Promise<void> };
  let store: Store;

  beforeAll(async () => {
    // Two workers, no Redis: each counts the limit on its own (LiteLLM #13202, #27900).
    sim = await startSimulator(["--limiter", "gauge", "--workers", "2", "--flush-interval", "0.5"]);
    rx = { hook: await startReceiver(), slack: await startReceiver(), pd: await startReceiver({ status: 202, body: { status: "success", message: "Event processed" } }) };
    db = await createTestDatabase("sqlite");
    await migrateStore(db.url);
    store = await openStore(db.url);
  }, 60_000);
  afterAll(async () => {
    while (cleanups.length) await cleanups.pop()!();
    await store?.close();
    await Promise.all([sim?.stop(), rx?.hook.stop(), rx?.slack.stop(), rx?.pd.stop(), db?.remove()]);
  });

  it("exceeded and multiplied: one firing, spaced repeats, one resolved per channel; 500s recovered; a restart sends nothing twice; a healthy key gets nothing", async () => {
    const mock = { metadata: { allow_client_mock_response: true } };
    const bad = await simAdmin(sim, "POST", "/key/generate", { key_alias: "over", max_parallel_requests: 2, ...mock });
    const good = await simAdmin(sim, "POST", "/key/generate", { key_alias: "calm", max_parallel_requests: 10, ...mock });
    // Slack fails the first three deliveries.
    rx.slack.answer({ status: 500, body: "boom" }, 3);

    const env = runnerEnv(db.url, sim, rx);
    let runner = spawnRunner(env, cleanups);
    await waitFor(async () => (await store.catalog.keyByHash(bad.token_id))?.maxParallelRequests === 2, {
      what: "the catalog to hold the keys",
      timeoutMs: 30_000,
      intervalMs: 250,
      detail: () => runner.output(),
    });

    // 4 clients against a limit of 2 on two workers: 4 in flight at once, 2× the limit, for ~24 s.
    const calm = runTraffic({ baseUrl: sim.url, key: good.key, clients: 2, durationMs: 24_000, delayS: () => 0.5 });
    const over = runTraffic({ baseUrl: sim.url, key: bad.key, clients: 4, durationMs: 24_000, delayS: () => 1 });

    // Mid-episode, once the first firing message is out: kill the runner and start another.
    await waitFor(() => rx.hook.requests.some((r) => json(r).phase === "firing"), { what: "a firing webhook", timeoutMs: 40_000, intervalMs: 200, detail: () => runner.output() });
    await runner.crash();
    runner = spawnRunner(env, cleanups);
    await Promise.all([over, calm]);

    // Resolved on every channel for both alerts (the hold time after the traffic stopped).
    const resolvedOn = (r: Receiver, event: string) => r.requests.filter((q) => (json(q).event ?? json(q).event_action) === event).length;
    await waitFor(
      () =>
        resolvedOn(rx.hook, "concurrency_limit_exceeded.resolved") === 1 &&
        resolvedOn(rx.hook, "limit_multiplied.resolved") === 1 &&
        rx.pd.requests.filter((q) => json(q).event_action === "resolve").length === 2 &&
        rx.slack.requests.filter((q) => /Resolved/.test(json(q).text as string)).length === 2,
      { what: "resolved messages on every channel", timeoutMs: 60_000, intervalMs: 300, detail: () => `${runner.output()}\n${rx.hook.requests.map((r) => r.body).join("\n")}` },
    );
    // Nothing more comes once resolved (a late duplicate would arrive within a few evaluations).
    await new Promise((r) => setTimeout(r, 3_000));
    await runner.stop();

    // Webhook: every body signed (verifies with the secret, not with another), about the bad key only.
    const wh = new Webhook(SECRET);
    const received = rx.hook.requests.map((r) => {
      expect(() => wh.verify(r.body, r.headers as Record<string, string>)).not.toThrow();
      return { ...(json(r) as WebhookBody), at: r.at, id: r.headers["webhook-id"], body: r.body };
    });
    expect(() => new Webhook(`whsec_${Buffer.from("another-secret-0123456789abcdef").toString("base64")}`).verify(rx.hook.requests[0].body, rx.hook.requests[0].headers as Record<string, string>)).toThrow();
    expect(new Set(received.map((b) => b.key_hash))).toEqual(new Set([bad.token_id]));
    // Nothing is sent twice, but for a delivery the crash cut between sending and recording it: that
    // one is resent under the same webhook-id and body, which a receiver drops (at least once, never
    // twice under two ids).
    const bodies = received.filter((b, i) => received.findIndex((o) => o.id === b.id) === i);
    for (const again of received.filter((b, i) => received.findIndex((o) => o.id === b.id) !== i)) {
      expect(again.body).toBe(received.find((o) => o.id === again.id)!.body);
    }
    expect(received.length - bodies.length, "deliveries resent after the crash").toBeLessThanOrEqual(1);
    const created = new Map((await store.alerts.listNotifications({ limit: 1000 })).map((n) => [n.id, n.createdAtMs]));
    for (const event of ["concurrency_limit_exceeded", "limit_multiplied"]) {
      const of = bodies.filter((b) => String(b.event).startsWith(event));
      expect(of.filter((b) => b.phase === "firing"), `${event} firing`).toHaveLength(1);
      expect(of.filter((b) => b.phase === "resolved"), `${event} resolved`).toHaveLength(1);
      expect(of.filter((b) => b.phase === "past"), `${event} past`).toHaveLength(0);
      // Spaced as the alert's state made them (the outbox's creation times): a delivery slowed by a
      // busy machine or a retry may arrive close behind the one before it.
      const times = of.filter((b) => b.phase === "firing" || b.phase === "repeat").map((b) => created.get(String(b.id))!);
      expect(times.length, `${event}: repeats while it held for ~20 s`).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1], `${event}: repeat spacing`).toBeGreaterThanOrEqual(REPEAT_S * 1000 - 1000);
      expect(of.every((b) => b.environment === "test-env" && b.limit === 2 && String(b.url).startsWith("http://inflight.example/keys/"))).toBe(true);
    }
    const multiplied = bodies.find((b) => b.event === "limit_multiplied")!;
    expect(multiplied.peak).toBe(4);
    expect(String(multiplied.summary)).toMatch(/about 2× its max_parallel_requests of 2.*no shared limiter state/);

    // PagerDuty: trigger and resolve per alert under one dedup_key, the routing key in each.
    const pd = rx.pd.requests.map(json);
    const dedups = new Set(pd.map((e) => e.dedup_key));
    expect(dedups.size).toBe(2);
    for (const k of dedups) {
      const events = pd.filter((e) => e.dedup_key === k);
      expect(events[0].event_action).toBe("trigger");
      expect(events.at(-1)!.event_action).toBe("resolve");
      expect(events.filter((e) => e.event_action === "resolve")).toHaveLength(1);
      expect(events.every((e) => e.routing_key === ROUTING_KEY)).toBe(true);
    }

    // Slack got everything after its 500s: the first delivery took several attempts, all recorded.
    const slackBodies = rx.slack.requests.slice(3).map(json);
    expect(slackBodies.filter((b) => /Resolved/.test(b.text as string))).toHaveLength(2);
    const slackSent = await store.alerts.listNotifications({ channelId: "env-slack", limit: 100 });
    expect(slackSent.every((n) => n.status === "sent")).toBe(true);
    expect(Math.max(...slackSent.map((n) => n.attempts))).toBeGreaterThanOrEqual(2);
    const first = slackSent.find((n) => n.attempts >= 2)!;
    const attempts = await store.alerts.attemptsOf(first.id);
    expect(attempts.slice(0, -1).every((a) => !a.ok && a.httpStatus === 500)).toBe(true);
    expect(attempts.at(-1)!.ok).toBe(true);

    // The in-app feed holds the same messages; the alerts are stored with their evidence.
    const feed = await store.alerts.listFeed(null, 100);
    expect(feed.filter((i) => i.notification.phase === "firing")).toHaveLength(2);
    const alerts = await store.alerts.listAlerts({ limit: 10 });
    expect(alerts.map((a) => [a.detector, a.state, a.keyAlias]).sort()).toEqual([
      ["exceeded", "resolved", "over"],
      ["multiplied", "resolved", "over"],
    ]);
    const exceeded = alerts.find((a) => a.detector === "exceeded")!;
    expect(exceeded.peak).toBe(4);
    expect(exceeded.evidence.requestsAtPeak).toBe(4);
    expect((exceeded.evidence.requests as unknown[]).length).toBe(4);
  }, 180_000);
});

// A stuck limiter (LiteLLM #27955: slots taken on /v1/messages are never released and live until
// their TTL) seen as limiter_stuck and counter_drift, on Postgres, with two runners sharing the
// lease in Inflight's own Redis: the leader is killed mid-episode, the other takes over, and each
// message still goes out once.
describe("a stuck limiter, through a runner takeover", () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it("limiter_stuck and counter_drift fire once and resolve once when the leaked slots expire; nothing for exceeded", async () => {
    const [proxyRedis, ownRedis, db] = await Promise.all([startRedis(), startRedis(), createTestDatabase("postgres")]);
    cleanups.push(() => proxyRedis.stop(), () => ownRedis.stop(), () => db.remove());
    const slotTtlS = 25;
    const sim = await startSimulator(["--limiter", "gauge", "--redis-url", proxyRedis.url, "--leak-metadata-routes", "--slot-ttl", String(slotTtlS), "--flush-interval", "0.5"]);
    const rx = { hook: await startReceiver(), slack: await startReceiver(), pd: await startReceiver({ status: 202, body: { status: "success" } }) };
    cleanups.push(() => sim.stop(), () => rx.hook.stop(), () => rx.slack.stop(), () => rx.pd.stop());

    // Rules tuned for seconds (an admin's edit of the built-in rule), and a drift rule added.
    const store = await openStore(db.url);
    cleanups.push(() => store.close());
    const now = Date.now();
    for (const r of builtInRules(now)) await store.alerts.saveRule(r.detector === "stuck" ? { ...r, params: { belowRatio: 0.5, gapS: 5, minDurationS: 3 } } : r);
    await store.alerts.saveRule({ id: "drift", name: "Counter drift", detector: "drift", scope: { kind: "all" }, params: { threshold: 2, gapS: 3, minDurationS: 3 }, enabled: true, builtIn: false, createdAtMs: now, updatedAtMs: now });

    const key = await simAdmin(sim, "POST", "/key/generate", { key_alias: "stuck", max_parallel_requests: 2, metadata: { allow_client_mock_response: true } });
    const env = { ...runnerEnv(db.url, sim, rx), REDIS_URL: proxyRedis.url, INFLIGHT_REDIS_URL: ownRedis.url, RUNNER_LEASE_TTL_S: "2", SAMPLE_INTERVAL_MS: "500" };
    const runners = [spawnRunner(env, cleanups), spawnRunner(env, cleanups)];
    await waitFor(async () => (await store.catalog.keyByHash(key.token_id))?.maxParallelRequests === 2, { what: "the catalog to hold the key", timeoutMs: 30_000, intervalMs: 250 });

    // Two requests on /v1/messages complete and leak both slots; from then on every chat request is a 429.
    await leakSlots(sim, key.key, 2);
    const leakedAt = Date.now();
    const statuses: number[] = [];
    const traffic = (async () => {
      while (Date.now() - leakedAt < (slotTtlS + 8) * 1000) {
        const r = await fetch(`${sim.url}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], mock_response: "ok" }),
        });
        statuses.push(r.status);
        await r.arrayBuffer();
        await new Promise((res) => setTimeout(res, 300));
      }
    })();

    const hook = () => rx.hook.requests.map((r) => ({ ...(json(r) as WebhookBody), id: r.headers["webhook-id"] }));
    await waitFor(() => hook().some((b) => b.event === "limiter_stuck"), { what: "limiter_stuck firing", timeoutMs: 40_000, intervalMs: 200, detail: () => runners.map((r) => r.output()).join("\n") });
    // Kill the leader (the one whose holder id is in Inflight's Redis): the other takes over mid-episode.
    const leaseHolder = new Redis(ownRedis.url);
    const holder = await leaseHolder.get("inflight:runner:lease");
    leaseHolder.disconnect();
    const leader = runners.find((r) => holder && r.output().includes(holder))!;
    expect(leader).toBeDefined();
    await leader.crash();
    await traffic;
    expect(statuses.slice(0, 5).every((s) => s === 429)).toBe(true);
    expect(statuses.at(-1)).toBe(200); // the slots expired: the key recovered

    await waitFor(() => hook().filter((b) => b.event === "limiter_stuck.resolved" || b.event === "counter_drift.resolved").length === 2, {
      what: "limiter_stuck and counter_drift resolved",
      timeoutMs: 60_000,
      intervalMs: 300,
      detail: () => `${runners.map((r) => r.output()).join("\n")}\n${rx.hook.requests.map((r) => r.body).join("\n")}`,
    });
    await new Promise((r) => setTimeout(r, 3_000));
    const bodies = hook();
    for (const event of ["limiter_stuck", "counter_drift"]) {
      expect(bodies.filter((b) => b.event === event && b.phase === "firing"), `${event} firing`).toHaveLength(1);
      expect(bodies.filter((b) => b.event === `${event}.resolved`), `${event} resolved`).toHaveLength(1);
    }
    expect(bodies.filter((b) => !/^(limiter_stuck|counter_drift)/.test(b.event))).toEqual([]);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(bodies.length);
    // PagerDuty: triggers (repeats re-trigger the same dedup_key) and one resolve per alert; Slack:
    // one firing and one resolved message each, repeats between them.
    const pd = rx.pd.requests.map(json);
    expect([...new Set(pd.filter((e) => e.event_action === "trigger").map((e) => `${e.payload.class}:${e.dedup_key}`))]).toHaveLength(2);
    expect(pd.filter((e) => e.event_action === "resolve")).toHaveLength(2);
    const slack = rx.slack.requests.map((r) => json(r).text as string);
    for (const label of ["Limiter stuck", "Counter drift"]) {
      expect(slack.filter((t) => t.includes(label) && !/Resolved|Still firing/.test(t)), `${label} on Slack`).toHaveLength(1);
      expect(slack.filter((t) => t.includes(label) && t.includes("Resolved")), `${label} resolved on Slack`).toHaveLength(1);
    }
    const stuck = bodies.find((b) => b.event === "limiter_stuck")!;
    expect(stuck.summary).toMatch(/rejects key stuck .* for max_parallel_requests \(\d+ 429s\) while at most (0 requests were|1 request was) really in flight \(limit 2\); LiteLLM counts 2/);
  }, 180_000);
});
