// The alert repository's contract on both stores: rules, channels and their delivery state,
// alerts with the one-open-alert-per-(rule, key) rule, the outbox (claims that two instances never
// share, attempts, resends), silences and the in-app feed. Each test starts from an empty database.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AlertConflictError, type AlertChannel, type AlertChanges, type AlertRecord, type AlertRule, type OutboxNotification } from "../../lib/alerts/repository";
import type { AlertNotification } from "../../lib/alerts/types";
import type { VirtualKey } from "../../lib/litellm/schemas";
import { openStore } from "../../lib/store/open";
import type { Store } from "../../lib/store/store";
import { T0 } from "../support/rows";
import { createTestStore, DIALECTS, type TestStore } from "../support/store";

const H = (c: string) => c.repeat(64);
const SEC = T0 / 1000;

const listed = (hash: string, team: string | null): VirtualKey =>
  ({ token: hash, key_alias: `alias-${hash[0]}`, team_id: team, max_parallel_requests: 4, rpm_limit: null, tpm_limit: null, blocked: false }) as VirtualKey;

const rule = (id: string, over: Partial<AlertRule> = {}): AlertRule => ({
  id,
  name: `rule ${id}`,
  detector: "exceeded",
  scope: { kind: "all" },
  params: { margin: 0, minDurationS: 0 },
  enabled: true,
  builtIn: false,
  createdAtMs: T0,
  updatedAtMs: T0,
  ...over,
});

const channel = (id: string, over: Partial<AlertChannel> = {}): AlertChannel => ({
  id,
  name: `channel ${id}`,
  type: "webhook",
  config: { url: "https://hooks.example.com/x", secret: "whsec_abc" },
  teamId: null,
  source: "ui",
  enabled: true,
  consecutiveFailures: 0,
  pausedAtMs: null,
  lastError: null,
  createdAtMs: T0,
  updatedAtMs: T0,
  ...over,
});

const alert = (id: string, ruleId: string, keyId: number, over: Partial<AlertRecord> = {}): AlertRecord => ({
  id,
  ruleId,
  keyId,
  state: "firing",
  announced: "live",
  startedSec: SEC,
  lastActiveSec: SEC + 60,
  peak: 9,
  limit: 4,
  evidence: { requests: ["r-1", "r-2"] },
  episodes: 1,
  lastNotifiedAtMs: T0 + 60_000,
  resolvedAtMs: null,
  createdAtMs: T0,
  updatedAtMs: T0,
  ...over,
});

const payload = (id: string, alertId: string): AlertNotification => ({
  id,
  alertId,
  detector: "exceeded",
  phase: "firing",
  event: "concurrency_limit_exceeded",
  ruleName: "rule r1",
  keyHash: H("a"),
  keyAlias: "alias-a",
  teamId: "team-a",
  limit: 4,
  peak: 9,
  startedAt: new Date(T0).toISOString(),
  endedAt: null,
  summary: "9 requests in flight against a limit of 4.",
  url: "http://inflight.test/keys/a",
  environment: null,
});

type NewNotification = AlertChanges["notifications"][number];
const notification = (id: string, alertId: string, channelId: string, nextAttemptMs = T0): NewNotification => ({
  id,
  alertId,
  channelId,
  phase: "firing",
  payload: payload(id, alertId),
  nextAttemptMs,
  createdAtMs: nextAttemptMs,
});

const ROOT = path.resolve(__dirname, "..", "..");

/** Another process claiming everything due, two at a time, from `startAtMs` on (so several start together): the ids it got. */
async function claimElsewhere(url: string, startAtMs: number): Promise<string[]> {
  const code = `import { openStore } from "./lib/store/open";
  (async () => {
    const store = await openStore(${JSON.stringify(url)});
    while (Date.now() < ${startAtMs}) await new Promise((r) => setTimeout(r, 2));
    const got = [];
    // A pause between claims, as a delivery job sends between them: the others get their turns.
    for (let batch; (batch = await store.alerts.claimDue(${T0 + 100}, 2, 60_000)).length > 0; ) {
      got.push(...batch.map((n) => n.id));
      await new Promise((r) => setTimeout(r, 2));
    }
    await store.close();
    console.log(JSON.stringify(got));
  })();`;
  const { stdout } = await promisify(execFile)(path.join(ROOT, "node_modules", ".bin", "tsx"), ["-e", code], { cwd: ROOT });
  return JSON.parse(stdout) as string[];
}

const changes = (c: Partial<AlertChanges>): AlertChanges => ({ upsert: [], remove: [], notifications: [], ...c });
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe.each(DIALECTS)("alert repository on %s", (dialect) => {
  let t: TestStore;
  let s: Store;
  /** Key ids: a (team-a), b (team-b), c (no team). */
  let key: { a: number; b: number; c: number };

  beforeEach(async () => {
    t = await createTestStore(dialect);
    s = t.store;
    await s.catalog.apply({ upserts: [listed(H("a"), "team-a"), listed(H("b"), "team-b"), listed(H("c"), null)], limitChanges: [], removed: [] }, T0);
    const id = async (h: string) => (await s.catalog.keyByHash(h))!.id;
    key = { a: await id(H("a")), b: await id(H("b")), c: await id(H("c")) };
  });
  afterEach(() => t?.close());

  /**
   * An alert of rule r1 on key a with `perChannel` pending notifications per channel, due at T0 + i,
   * made together at T0 (none waits for another: see the ordering test), or each when it is due.
   */
  async function outbox(channelIds: string[], perChannel = 1, madeTogether = true): Promise<string[]> {
    await s.alerts.saveRule(rule("r1"));
    const notes = channelIds.flatMap((ch) =>
      Array.from({ length: perChannel }, (_, i) => ({ ...notification(`${ch}-n${i}`, "al1", ch, T0 + i), ...(madeTogether ? { createdAtMs: T0 } : {}) })),
    );
    await s.alerts.apply(changes({ upsert: [alert("al1", "r1", key.a)], notifications: notes }));
    return ids(notes);
  }

  it("rules: saved and read back whole; built-ins ensured once, an admin's edit kept; only other rules removed, with their open alerts", async () => {
    const team = rule("team", { detector: "stuck", scope: { kind: "team", teamId: "team-a" }, params: { belowRatio: 0.5, gapS: 60, minDurationS: 30 }, enabled: false });
    const one = rule("one", { scope: { kind: "key", keyHash: H("b") }, createdAtMs: T0 + 1 });
    await s.alerts.saveRule(team);
    await s.alerts.saveRule(one);
    expect(await s.alerts.getRule("team")).toEqual(team);
    expect(await s.alerts.getRule("nope")).toBeNull();

    const builtIn = rule("default-exceeded", { builtIn: true, createdAtMs: T0 - 1 });
    await s.alerts.ensureRules([builtIn]);
    await s.alerts.saveRule({ ...builtIn, enabled: false, params: { margin: 3, minDurationS: 10 }, updatedAtMs: T0 + 5 });
    await s.alerts.ensureRules([builtIn, rule("default-stuck", { builtIn: true, detector: "stuck", createdAtMs: T0 + 2 })]);
    expect(await s.alerts.getRule("default-exceeded")).toMatchObject({ enabled: false, params: { margin: 3, minDurationS: 10 }, builtIn: true });
    expect(ids(await s.alerts.listRules())).toEqual(["default-exceeded", "team", "one", "default-stuck"]);

    expect(await s.alerts.removeRule("default-exceeded")).toBe(false);
    expect(await s.alerts.removeRule("nope")).toBe(false);
    await s.alerts.apply(
      changes({
        upsert: [alert("open", "one", key.b), alert("closed", "one", key.b, { state: "resolved", resolvedAtMs: T0 }), alert("other", "team", key.a)],
        notifications: [notification("n-open", "open", "ch")],
      }),
    );
    expect(await s.alerts.removeRule("one")).toBe(true);
    expect(await s.alerts.getRule("one")).toBeNull();
    expect(ids(await s.alerts.openAlerts())).toEqual(["other"]);
    expect(await s.alerts.getAlert("closed")).toMatchObject({ ruleName: "(removed rule)", detector: null, state: "resolved" });
    expect(ids(await s.alerts.notificationsOf("open"))).toEqual(["n-open"]); // notifications stay
  });

  it("channels: saved whole (config included); only a UI channel is removed, failing its pending notifications", async () => {
    const ui = channel("ui", { teamId: "team-a", enabled: false, consecutiveFailures: 2, lastError: "HTTP 500", pausedAtMs: T0 });
    await s.alerts.saveChannel(ui);
    expect(await s.alerts.getChannel("ui")).toEqual(ui);
    expect(await s.alerts.getChannel("nope")).toBeNull();
    await s.alerts.saveChannel(channel("ui")); // replaced whole
    expect(await s.alerts.getChannel("ui")).toEqual(channel("ui"));
    await s.alerts.saveChannel(channel("env", { source: "env", config: {}, createdAtMs: T0 + 1 }));
    expect(ids(await s.alerts.listChannels())).toEqual(["ui", "env"]);

    await outbox(["ui"], 2);
    const [sent] = await s.alerts.claimDue(T0, 1, 30_000);
    await s.alerts.recordAttempt({ notificationId: sent.id, atMs: T0, ok: true, httpStatus: 200, latencyMs: 12, error: null }, { status: "sent" });

    expect(await s.alerts.removeChannel("env")).toBe(false);
    expect(await s.alerts.removeChannel("nope")).toBe(false);
    expect(await s.alerts.removeChannel("ui")).toBe(true);
    expect(await s.alerts.getChannel("ui")).toBeNull();
    const notes = await s.alerts.notificationsOf("al1");
    expect(notes.map((n) => [n.id, n.status, n.lastError])).toEqual([
      ["ui-n0", "sent", null],
      ["ui-n1", "failed", "channel removed"],
    ]);
  });

  it("syncFixedChannels: inserts, renames keeping delivery state, removes env channels no longer configured", async () => {
    await s.alerts.syncFixedChannels(
      [
        { id: "in-app", name: "In-app", type: "in-app", teamId: null, source: "builtin" },
        { id: "env-slack", name: "Slack", type: "slack", teamId: null, source: "env" },
        { id: "env-pd", name: "PagerDuty", type: "pagerduty", teamId: "team-a", source: "env" },
      ],
      T0,
    );
    await s.alerts.saveChannel(channel("ui", { createdAtMs: T0 + 1 }));
    expect(await s.alerts.getChannel("env-slack")).toEqual(channel("env-slack", { name: "Slack", type: "slack", config: {}, source: "env" }));
    await s.alerts.recordChannelResult("env-slack", false, "HTTP 503", 1, T0 + 10);
    await outbox(["env-pd"]);

    await s.alerts.syncFixedChannels(
      [
        { id: "env-slack", name: "Slack #ops", type: "slack", teamId: "team-b", source: "env" },
        { id: "in-app", name: "In-app", type: "in-app", teamId: null, source: "builtin" },
      ],
      T0 + 20,
    );
    expect(await s.alerts.getChannel("env-slack")).toMatchObject({
      name: "Slack #ops",
      teamId: "team-b",
      consecutiveFailures: 1,
      pausedAtMs: T0 + 10,
      lastError: "HTTP 503",
      createdAtMs: T0,
      updatedAtMs: T0 + 20,
    });
    expect((await s.alerts.getChannel("in-app"))!.updatedAtMs).toBe(T0); // unchanged: not rewritten
    expect(ids(await s.alerts.listChannels()).sort()).toEqual(["env-slack", "in-app", "ui"]);
    expect((await s.alerts.notificationsOf("al1")).map((n) => [n.status, n.lastError])).toEqual([["failed", "channel removed"]]);
  });

  it("channel results: paused after N failures in a row, not delivered while paused or disabled, resumed with a fresh count", async () => {
    await s.alerts.saveChannel(channel("ch"));
    await s.alerts.recordChannelResult("ch", false, "HTTP 500", 3, T0 + 1);
    await s.alerts.recordChannelResult("ch", true, null, 3, T0 + 2);
    expect(await s.alerts.getChannel("ch")).toMatchObject({ consecutiveFailures: 0, pausedAtMs: null });
    for (let i = 1; i <= 4; i++) await s.alerts.recordChannelResult("ch", false, `fail ${i}`, 3, T0 + 10 + i);
    expect(await s.alerts.getChannel("ch")).toMatchObject({ consecutiveFailures: 4, pausedAtMs: T0 + 13, lastError: "fail 4" });

    await outbox(["ch"]);
    expect(await s.alerts.claimDue(T0 + 1_000, 10, 30_000)).toEqual([]);
    await s.alerts.resumeChannel("ch", T0 + 500);
    expect(await s.alerts.getChannel("ch")).toMatchObject({ consecutiveFailures: 0, pausedAtMs: null, enabled: true, updatedAtMs: T0 + 500 });

    await s.alerts.saveChannel({ ...(await s.alerts.getChannel("ch"))!, enabled: false });
    expect(await s.alerts.claimDue(T0 + 1_000, 10, 30_000)).toEqual([]);
    await s.alerts.resumeChannel("ch", T0 + 600); // enables it too
    expect(ids(await s.alerts.claimDue(T0 + 1_000, 10, 30_000))).toEqual(["ch-n0"]);
  });

  it("apply: upserts, removes and queues notifications together; at most one open alert per (rule, key), else nothing is written", async () => {
    await s.alerts.saveRule(rule("r1"));
    const pending = alert("p", "r1", key.b, { state: "pending", announced: null, lastNotifiedAtMs: null });
    await s.alerts.apply(changes({ upsert: [alert("a1", "r1", key.a), pending], notifications: [notification("n1", "a1", "ch")] }));
    expect(await s.alerts.openAlerts()).toEqual([alert("a1", "r1", key.a), pending]);
    const [n1] = await s.alerts.notificationsOf("a1");
    expect(n1).toEqual({
      ...notification("n1", "a1", "ch"),
      status: "pending",
      attempts: 0,
      lastError: null,
      sentAtMs: null,
    } satisfies OutboxNotification);

    // A second open alert of (r1, a): the whole change is refused, the removal and the notification with it.
    await expect(
      s.alerts.apply(changes({ upsert: [alert("a2", "r1", key.a, { state: "pending" })], remove: ["p"], notifications: [notification("n2", "a2", "ch")] })),
    ).rejects.toThrow();
    expect(ids(await s.alerts.openAlerts())).toEqual(["a1", "p"]);
    expect(await s.alerts.getAlert("a2")).toBeNull();
    expect(await s.alerts.notificationsOf("a2")).toEqual([]);

    // Resolving a1 frees (r1, a): a new alert may open in the same change, whatever the order.
    const resolved = alert("a1", "r1", key.a, { state: "resolved", resolvedAtMs: T0 + 90_000, lastActiveSec: SEC + 90, updatedAtMs: T0 + 90_000 });
    await s.alerts.apply(changes({ upsert: [alert("a2", "r1", key.a, { startedSec: SEC + 200, lastActiveSec: SEC + 201 }), resolved], remove: ["p"], read: { a1: T0, p: T0 } }));
    expect(ids(await s.alerts.openAlerts())).toEqual(["a2"]);
    expect(await s.alerts.getAlert("a1")).toMatchObject({ state: "resolved", resolvedAtMs: T0 + 90_000, lastActiveSec: SEC + 90 });
    expect(await s.alerts.getAlert("p")).toBeNull();
  });

  it("apply: an alert changed since it was read (another evaluation at the same time) fails the whole change, notifications with it", async () => {
    await s.alerts.saveRule(rule("r1"));
    await s.alerts.apply(changes({ upsert: [alert("a1", "r1", key.a), alert("p", "r1", key.b, { state: "pending" })] }));
    // The first evaluation resolves a1 and tells it.
    const resolved = (at: number) => alert("a1", "r1", key.a, { state: "resolved", resolvedAtMs: at, updatedAtMs: at });
    await s.alerts.apply(changes({ upsert: [resolved(T0 + 5)], notifications: [notification("first", "a1", "ch")], read: { a1: T0 } }));
    // The second read a1 before that: its change, and its duplicate message, are refused.
    await expect(s.alerts.apply(changes({ upsert: [resolved(T0 + 6)], notifications: [notification("second", "a1", "ch")], read: { a1: T0 } }))).rejects.toBeInstanceOf(AlertConflictError);
    expect(ids(await s.alerts.notificationsOf("a1"))).toEqual(["first"]);
    expect((await s.alerts.getAlert("a1"))!.updatedAtMs).toBe(T0 + 5);
    // The same for a removal of a pending alert another evaluation changed.
    await expect(s.alerts.apply(changes({ remove: ["p"], read: { p: T0 - 1 } }))).rejects.toBeInstanceOf(AlertConflictError);
    expect(await s.alerts.getAlert("p")).not.toBeNull();
  });

  it("lastClosed: per (rule, key), the newest end of its resolved alerts active since then", async () => {
    await s.alerts.apply(
      changes({
        upsert: [
          alert("x1", "r1", key.a, { state: "resolved", lastActiveSec: SEC + 10 }),
          alert("x2", "r1", key.a, { state: "resolved", lastActiveSec: SEC + 50 }),
          alert("x3", "r2", key.a, { state: "resolved", lastActiveSec: SEC - 100 }),
          alert("x4", "r1", key.b, { state: "resolved", lastActiveSec: SEC }),
          alert("x5", "r2", key.b, { state: "firing", lastActiveSec: SEC + 70 }),
        ],
      }),
    );
    expect(await s.alerts.lastClosed(SEC)).toEqual(
      new Map([
        [`r1:${key.a}`, SEC + 50],
        [`r1:${key.b}`, SEC],
      ]),
    );
  });

  it("listAlerts: with key and rule, filtered by state, key, rule, range and teams, newest first and paged", async () => {
    await s.alerts.saveRule(rule("r1", { name: "Over the limit" }));
    await s.alerts.saveRule(rule("r2", { name: "Stuck", detector: "stuck" }));
    const at = (i: number) => ({ createdAtMs: T0 + i * 1000 });
    await s.alerts.apply(
      changes({
        upsert: [
          alert("a-old", "r1", key.a, { ...at(1), state: "resolved", startedSec: SEC, lastActiveSec: SEC + 100 }),
          alert("a-new", "r1", key.a, { ...at(2), state: "pending", startedSec: SEC + 500, lastActiveSec: SEC + 600 }),
          alert("b", "r2", key.b, { ...at(3), startedSec: SEC + 50, lastActiveSec: SEC + 150 }),
          alert("c", "r2", key.c, { ...at(4), state: "resolved", startedSec: SEC + 300, lastActiveSec: SEC + 400 }),
        ],
      }),
    );
    const list = (f: Partial<Parameters<Store["alerts"]["listAlerts"]>[0]>) => s.alerts.listAlerts({ limit: 10, ...f }).then(ids);

    expect(await s.alerts.getAlert("b")).toEqual({
      ...alert("b", "r2", key.b, { ...at(3), startedSec: SEC + 50, lastActiveSec: SEC + 150 }),
      keyHash: H("b"),
      keyAlias: "alias-b",
      teamId: "team-b",
      ruleName: "Stuck",
      detector: "stuck",
    });
    expect(await s.alerts.getAlert("nope")).toBeNull();
    expect(await list({})).toEqual(["c", "b", "a-new", "a-old"]);
    expect(await list({ state: "open" })).toEqual(["b", "a-new"]);
    expect(await list({ state: "resolved" })).toEqual(["c", "a-old"]);
    expect(await list({ keyId: key.a })).toEqual(["a-new", "a-old"]);
    expect(await list({ ruleId: "r2" })).toEqual(["c", "b"]);
    // Overlapping [from, to): an alert ending at `from` or starting at `to` is outside.
    expect(await list({ fromSec: SEC + 100, toSec: SEC + 300 })).toEqual(["b"]);
    expect(await list({ fromSec: SEC + 99, toSec: SEC + 301 })).toEqual(["c", "b", "a-old"]);
    expect(await list({ teams: ["team-a", "team-b"] })).toEqual(["b", "a-new", "a-old"]);
    expect(await list({ teams: [] })).toEqual([]);
    expect(await list({ teams: null })).toHaveLength(4);
    expect(await list({ limit: 2 })).toEqual(["c", "b"]);
    expect(await list({ limit: 2, beforeCreatedAtMs: T0 + 3000 })).toEqual(["a-new", "a-old"]);
  });

  it("claimDue: due, unclaimed notifications of live channels, oldest first, held for claimMs then claimable again", async () => {
    await s.alerts.saveChannel(channel("ch"));
    await outbox(["ch", "gone"], 3); // "gone": no such channel, never claimed
    expect(ids(await s.alerts.claimDue(T0 + 1, 10, 30_000))).toEqual(["ch-n0", "ch-n1"]); // n2 not due yet
    expect(ids(await s.alerts.claimDue(T0 + 2, 10, 30_000))).toEqual(["ch-n2"]); // the others are held
    expect(await s.alerts.claimDue(T0 + 30_001, 10, 30_000)).toEqual([]); // held until exactly then
    const again = await s.alerts.claimDue(T0 + 30_002, 1, 30_000);
    expect(ids(again)).toEqual(["ch-n0"]);
    expect(again[0]).toMatchObject({ status: "pending", attempts: 0, payload: payload("ch-n0", "al1") });
  });

  it("claimDue: one alert's notifications to a channel in order: a later one waits while an older one is pending", async () => {
    await s.alerts.saveChannel(channel("ch"));
    await s.alerts.saveChannel(channel("other"));
    await s.alerts.saveRule(rule("r1"));
    const firing = notification("firing", "al1", "ch", T0);
    const resolved = { ...notification("resolved", "al1", "ch", T0), phase: "resolved" as const, createdAtMs: T0 + 5 };
    await s.alerts.apply(changes({ upsert: [alert("al1", "r1", key.a)], notifications: [firing, resolved, notification("elsewhere", "al1", "other", T0)] }));
    expect(ids(await s.alerts.claimDue(T0 + 10, 10, 30_000)).sort()).toEqual(["elsewhere", "firing"]);
    await s.alerts.recordAttempt({ notificationId: "firing", atMs: T0 + 10, ok: false, httpStatus: 500, latencyMs: 3, error: "HTTP 500" }, { status: "pending", nextAttemptMs: T0 + 1000 });
    expect(await s.alerts.claimDue(T0 + 20, 10, 30_000)).toEqual([]); // resolved waits for firing's retry
    expect(ids(await s.alerts.claimDue(T0 + 1000, 10, 30_000))).toEqual(["firing"]);
    await s.alerts.recordAttempt({ notificationId: "firing", atMs: T0 + 1000, ok: true, httpStatus: 200, latencyMs: 3, error: null }, { status: "sent" });
    expect(ids(await s.alerts.claimDue(T0 + 1001, 10, 30_000))).toEqual(["resolved"]);
  });

  it("claimDue: two stores on one database claiming at once get disjoint rows", async () => {
    await s.alerts.saveChannel(channel("ch"));
    const all = await outbox(["ch"], 40);
    const other = await openStore(t.url);
    try {
      const claims = await Promise.all([
        ...Array.from({ length: 4 }, () => s.alerts.claimDue(T0 + 100, 8, 30_000)),
        ...Array.from({ length: 4 }, () => other.alerts.claimDue(T0 + 100, 8, 30_000)),
      ]);
      const claimed = claims.flatMap(ids);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed.length).toBeGreaterThanOrEqual(8);
      const rest = await other.alerts.claimDue(T0 + 100, 100, 30_000);
      expect([...claimed, ...ids(rest)].sort()).toEqual([...all].sort());
    } finally {
      await other.close();
    }
  });

  it("claimDue: processes claiming at once on one database (SQLite's file, Postgres) get disjoint rows", async () => {
    await s.alerts.saveChannel(channel("ch"));
    const all = await outbox(["ch"], 60);
    const startAt = Date.now() + 3_000; // after the processes have started
    const claims = await Promise.all([1, 2, 3].map(() => claimElsewhere(t.url, startAt)));
    const claimed = claims.flat();
    expect(claimed.sort()).toEqual([...all].sort()); // each once
  });

  it("recordAttempt: the attempt and its outcome in one go, releasing the claim; resend queues it again", async () => {
    await s.alerts.saveChannel(channel("ch"));
    await outbox(["ch"], 3);
    const [n0, n1, n2] = await s.alerts.claimDue(T0 + 10, 10, 30_000);
    const attempt = (id: string, ok: boolean, error: string | null, atMs = T0 + 20) => ({
      notificationId: id,
      atMs,
      ok,
      httpStatus: ok ? 200 : error === "refused" ? null : 503,
      latencyMs: 40,
      error,
    });

    await s.alerts.recordAttempt(attempt(n0.id, true, null), { status: "sent" });
    await s.alerts.recordAttempt(attempt(n1.id, false, "HTTP 503"), { status: "pending", nextAttemptMs: T0 + 5_000 });
    await s.alerts.recordAttempt(attempt(n2.id, false, "refused"), { status: "failed" });
    const byId = new Map((await s.alerts.notificationsOf("al1")).map((n) => [n.id, n]));
    expect(byId.get(n0.id)).toMatchObject({ status: "sent", attempts: 1, sentAtMs: T0 + 20, lastError: null, nextAttemptMs: T0 });
    expect(byId.get(n1.id)).toMatchObject({ status: "pending", attempts: 1, sentAtMs: null, lastError: "HTTP 503", nextAttemptMs: T0 + 5_000 });
    expect(byId.get(n2.id)).toMatchObject({ status: "failed", attempts: 1, sentAtMs: null, lastError: "refused" });
    expect(await s.alerts.attemptsOf(n1.id)).toEqual([attempt(n1.id, false, "HTTP 503")]);

    // The retry's claim was released: due again at nextAttemptMs, not before.
    expect(await s.alerts.claimDue(T0 + 4_999, 10, 30_000)).toEqual([]);
    const [retry] = await s.alerts.claimDue(T0 + 5_000, 10, 30_000);
    expect(retry.id).toBe(n1.id);
    await s.alerts.recordAttempt(attempt(n1.id, true, null, T0 + 5_010), { status: "sent" });
    expect(await s.alerts.attemptsOf(n1.id)).toEqual([attempt(n1.id, false, "HTTP 503"), attempt(n1.id, true, null, T0 + 5_010)]);
    expect((await s.alerts.notificationsOf("al1")).find((n) => n.id === n1.id)).toMatchObject({ status: "sent", attempts: 2, lastError: null, sentAtMs: T0 + 5_010 });

    expect(await s.alerts.resend("nope", T0 + 6_000)).toBe(false);
    expect(await s.alerts.resend(n2.id, T0 + 6_000)).toBe(true);
    expect((await s.alerts.notificationsOf("al1")).find((n) => n.id === n2.id)).toMatchObject({ status: "pending", attempts: 0, nextAttemptMs: T0 + 6_000 });
    expect(ids(await s.alerts.claimDue(T0 + 6_000, 10, 30_000))).toEqual([n2.id]);
  });

  it("listNotifications: newest first, by channel and status", async () => {
    await s.alerts.saveChannel(channel("x"));
    await outbox(["x", "y"], 2, false);
    const [first] = await s.alerts.claimDue(T0, 1, 30_000);
    await s.alerts.recordAttempt({ notificationId: first.id, atMs: T0, ok: false, httpStatus: 400, latencyMs: 5, error: "HTTP 400" }, { status: "failed" });
    expect(ids(await s.alerts.listNotifications({ limit: 10 }))).toEqual(["x-n1", "y-n1", "x-n0", "y-n0"]);
    expect(ids(await s.alerts.listNotifications({ limit: 10, channelId: "x" }))).toEqual(["x-n1", "x-n0"]);
    expect(ids(await s.alerts.listNotifications({ limit: 10, status: "failed" }))).toEqual(["x-n0"]);
    expect(ids(await s.alerts.listNotifications({ limit: 1, channelId: "y", status: "pending" }))).toEqual(["y-n1"]);
  });

  it("silences: those in force at an instant (all when none is given), newest first; saved by id, removed", async () => {
    const silence = (id: string, endsAtMs: number, createdAtMs: number) => ({
      id,
      ruleId: id === "s1" ? "r1" : null,
      keyHash: id === "s2" ? H("a") : null,
      teamId: null,
      endsAtMs,
      comment: `maintenance ${id}`,
      createdBy: "ops@example.com",
      createdAtMs,
    });
    await s.alerts.saveSilence(silence("s1", T0 + 1_000, T0));
    await s.alerts.saveSilence(silence("s2", T0 + 2_000, T0 + 1));
    await s.alerts.saveSilence(silence("s3", T0 + 500, T0 + 2));
    expect(await s.alerts.listSilences()).toEqual([silence("s3", T0 + 500, T0 + 2), silence("s2", T0 + 2_000, T0 + 1), silence("s1", T0 + 1_000, T0)]);
    expect(ids(await s.alerts.listSilences(T0 + 1_000))).toEqual(["s2"]);
    await s.alerts.saveSilence(silence("s1", T0 + 9_000, T0));
    expect(ids(await s.alerts.listSilences(T0 + 1_000))).toEqual(["s2", "s1"]);
    expect(await s.alerts.removeSilence("s2")).toBe(true);
    expect(await s.alerts.removeSilence("s2")).toBe(false);
    expect(ids(await s.alerts.listSilences())).toEqual(["s3", "s1"]);
  });

  it("feed: newest first by team (an item of no team only for all teams); unread counts past a read mark that never moves back", async () => {
    for (const [i, team] of [["1", "team-a"], ["2", "team-b"], ["3", null], ["4", "team-a"]] as const) {
      await s.alerts.addFeedItem({ alertId: `al${i}`, teamId: team, notification: payload(`n${i}`, `al${i}`), createdAtMs: T0 + Number(i) });
    }
    const all = await s.alerts.listFeed(null, 10);
    expect(all.map((f) => f.alertId)).toEqual(["al4", "al3", "al2", "al1"]);
    expect(all[0]).toEqual({ id: all[0].id, alertId: "al4", teamId: "team-a", notification: payload("n4", "al4"), createdAtMs: T0 + 4 });
    expect((await s.alerts.listFeed(["team-a"], 10)).map((f) => f.alertId)).toEqual(["al4", "al1"]);
    expect((await s.alerts.listFeed(null, 2)).map((f) => f.alertId)).toEqual(["al4", "al3"]);
    expect(await s.alerts.listFeed([], 10)).toEqual([]);

    expect(await s.alerts.unreadCount("u1", null)).toBe(4);
    expect(await s.alerts.unreadCount("u1", ["team-a", "team-b"])).toBe(3);
    const id = (alertId: string) => all.find((f) => f.alertId === alertId)!.id;
    await s.alerts.markFeedRead("u1", id("al3"));
    expect(await s.alerts.unreadCount("u1", null)).toBe(1);
    expect(await s.alerts.unreadCount("u1", ["team-b"])).toBe(0);
    await s.alerts.markFeedRead("u1", id("al1")); // never backwards
    expect(await s.alerts.unreadCount("u1", null)).toBe(1);
    await s.alerts.markFeedRead("u1", id("al4"));
    expect(await s.alerts.unreadCount("u1", null)).toBe(0);
    expect(await s.alerts.unreadCount("u2", ["team-a"])).toBe(2);
  });
});
