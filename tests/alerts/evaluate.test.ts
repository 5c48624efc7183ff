// One evaluation at a time over a real store, with the truth written straight into the series:
// an episode found after it ended is told once as past and resolves without a word; routing by
// team; a silence mutes and, once ended, lets a still-firing alert be told; the minimum duration
// keeps a short stretch pending; a key without a limit never alerts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { evaluateAlerts, type EvaluateSettings } from "../../lib/alerts/evaluate";
import type { AlertChannel } from "../../lib/alerts/repository";
import { builtInRules } from "../../lib/alerts/rules";
import { rollupMinutes, sparseRows } from "../../lib/concurrency/downsample";
import type { SecondSeries } from "../../lib/concurrency/sweep";
import { SPEND_LOG_SOURCE } from "../../lib/ingest/ingest";
import type { VirtualKey } from "../../lib/litellm/schemas";
import type { Store } from "../../lib/store/store";
import { T0 } from "../support/rows";
import { createTestStore, type TestStore } from "../support/store";

const S0 = T0 / 1000;
const H = (c: string) => c.repeat(64);
const SETTINGS: EvaluateSettings = { lookbackS: 900, settleMaxS: 60, groupWaitS: 30, holdS: 60, repeatS: 3600, baseUrl: "http://inflight.example", environment: "test" };
const key = (hash: string, team: string | null, mpr: number | null): VirtualKey =>
  ({ token: hash, key_alias: `alias-${hash[0]}`, team_id: team, max_parallel_requests: mpr, rpm_limit: null, tpm_limit: null, blocked: false }) as VirtualKey;

describe("evaluateAlerts over a store", () => {
  let t: TestStore;
  let s: Store;
  const ids: Record<string, number> = {};

  beforeEach(async () => {
    minute.clear();
    t = await createTestStore("sqlite");
    s = t.store;
    // Keys seen an hour before the data: their limits are in force throughout.
    await s.catalog.apply({ upserts: [key(H("a"), "team-a", 2), key(H("b"), "team-b", 2), key(H("c"), null, null)], limitChanges: [], removed: [] }, T0 - 3_600_000);
    for (const c of "abc") ids[c] = (await s.catalog.keyByHash(H(c)))!.id;
    await s.alerts.ensureRules(builtInRules(T0));
    await s.alerts.syncFixedChannels([{ id: "in-app", name: "bell", type: "in-app", teamId: null, source: "builtin" }], T0);
    const teamHook: AlertChannel = {
      id: "team-a-hook",
      name: "team a",
      type: "webhook",
      config: {},
      teamId: "team-a",
      source: "ui",
      enabled: true,
      consecutiveFailures: 0,
      pausedAtMs: null,
      lastError: null,
      createdAtMs: T0,
      updatedAtMs: T0,
    };
    await s.alerts.saveChannel(teamHook);
  });
  afterEach(() => t?.close());

  /** A key's per-second truth in the first minute: `inFlight` from second `from` (offset from S0) on, written with its roll-up as the sweep does. */
  const minute = new Map<string, SecondSeries>();
  async function truth(c: string, from: number, inFlight: number[]) {
    const series = minute.get(c) ?? { fromSec: S0, maxInFlight: new Int32Array(60), admitted: new Int32Array(60), rejected: new Int32Array(60) };
    minute.set(c, series);
    inFlight.forEach((n, i) => {
      series.maxInFlight[from + i] = n;
      series.admitted[from + i] = n;
    });
    await s.series.replace(ids[c], S0, S0 + 60, sparseRows(series), rollupMinutes(series));
  }
  /** Truth complete up to second `w` (offset from S0), and an evaluation at that moment. */
  async function evaluate(w: number, nowOffsetS = w) {
    await s.ingest.commit(SPEND_LOG_SOURCE, [], { completeBeforeMs: (S0 + w - 30) * 1000, endWatermarkMs: (S0 + w) * 1000 });
    return evaluateAlerts({ store: s, settings: SETTINGS, sharedLimiter: async () => true }, (S0 + nowOffsetS) * 1000);
  }
  const phases = async () => (await s.alerts.listNotifications({ limit: 100 })).map((n) => `${n.channelId}:${n.payload.event}:${n.phase}`).sort();

  it("an episode found after it ended is told once as past (never fire then resolve), routed by team, and resolves silently", async () => {
    await truth("a", 0, [1, 3, 4, 3, 1, 1, 1]);
    const r = await evaluate(20);
    expect(r).toMatchObject({ fired: 1, notifications: 2 });
    expect(await phases()).toEqual(["in-app:concurrency_limit_exceeded.past:past", "team-a-hook:concurrency_limit_exceeded.past:past"]);
    const [alert] = await s.alerts.listAlerts({ limit: 5 });
    expect(alert).toMatchObject({ state: "firing", announced: "past", startedSec: S0 + 1, lastActiveSec: S0 + 4, peak: 4, limit: 2 });
    expect((await s.alerts.notificationsOf(alert.id))[0].payload).toMatchObject({ endedAt: new Date((S0 + 4) * 1000).toISOString(), environment: "test" });

    await evaluate(40);
    await evaluate(64); // hold (60 s) after its end
    expect(await phases()).toHaveLength(2);
    expect((await s.alerts.getAlert(alert.id))!.state).toBe("resolved");
    // The same stretch seen again (the window still holds it) opens nothing new.
    await evaluate(90);
    expect(await s.alerts.listAlerts({ limit: 5 })).toHaveLength(1);
  });

  it("with the tracker mounted, live seconds above the limit fire before spend logs hold the requests (and never overlay settled truth)", async () => {
    // Nothing stored for the key yet; the tracker saw 3 in flight (limit 2) from second 5 to 14.
    // A live second before the complete edge (settled, spend logs are the record there) is left out.
    await s.live.write([
      { keyId: ids.a, sec: S0 - 25, maxInFlight: 9 },
      ...Array.from({ length: 10 }, (_, i) => ({ keyId: ids.a, sec: S0 + 5 + i, maxInFlight: 3 })),
      { keyId: ids.b, sec: S0 + 5, maxInFlight: 2 },
    ]);
    const r = await evaluate(10, 15);
    expect(r).toMatchObject({ keys: 1, fired: 1 });
    const [alert] = await s.alerts.listAlerts({ limit: 5 });
    expect(alert).toMatchObject({ keyHash: H("a"), state: "firing", announced: "live", startedSec: S0 + 5, peak: 3, limit: 2 });
    expect(await phases()).toEqual(["in-app:concurrency_limit_exceeded:firing", "team-a-hook:concurrency_limit_exceeded:firing"]);
    // No request stored at the peak yet; once the spend-log rows arrive the evidence lists them.
    expect(alert.evidence).toMatchObject({ requestsAtPeak: 0 });
    const rows = [1, 2, 3].map((i) => ({ requestId: `req-${i}`, keyHash: H("a"), startMs: (S0 + 4) * 1000 + i, endMs: (S0 + 15) * 1000, status: "success", limitType: null, rejected: false, model: "m" }));
    await s.ingest.commit(SPEND_LOG_SOURCE, rows, null);
    await evaluate(10, 16);
    const later = (await s.alerts.getAlert(alert.id))!;
    expect(later.evidence).toMatchObject({ requestsAtPeak: 3 });
    expect((later.evidence.requests as { requestId: string }[]).map((r) => r.requestId)).toEqual(["req-1", "req-2", "req-3"]);
    expect(await phases()).toHaveLength(2);
  });

  it("keys within their limits are not read second by second (their minute roll-ups say so)", async () => {
    await truth("a", 0, [1, 2, 2, 1]);
    await truth("b", 0, [2, 2]);
    expect(await evaluate(10)).toMatchObject({ keys: 0, fired: 0 });
    await truth("b", 2, [3]);
    expect(await evaluate(10)).toMatchObject({ keys: 1, fired: 1 });
  });

  it("another team's key goes to the feed only; a key without a limit never alerts", async () => {
    await truth("b", 0, [5, 5, 5]);
    await truth("c", 0, [50, 50]);
    await evaluate(10);
    expect(await phases()).toEqual(["in-app:concurrency_limit_exceeded.past:past"]);
    expect((await s.alerts.listAlerts({ limit: 5 })).map((a) => a.keyHash)).toEqual([H("b")]);
  });

  it("a silence mutes; once it ends, an alert still firing is told", async () => {
    await s.alerts.saveSilence({ id: "x", ruleId: "default-exceeded", keyHash: H("a"), teamId: null, endsAtMs: (S0 + 30) * 1000, comment: "deploy", createdBy: "ops", createdAtMs: T0 });
    await truth("a", 0, [3, 3, 3, 3, 3]);
    // The stretch reaches past complete truth with nothing newer stored: it holds now.
    await evaluate(2, 4);
    expect(await phases()).toEqual([]);
    expect((await s.alerts.listAlerts({ limit: 5 }))[0]).toMatchObject({ state: "firing", announced: null });
    await truth("a", 5, [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    await evaluate(32, 34);
    expect(await phases()).toEqual(["in-app:concurrency_limit_exceeded:firing", "team-a-hook:concurrency_limit_exceeded:firing"]);
  });

  it("Slack's notifications are due at the end of the group window (a burst across keys is one message); the others at once", async () => {
    const slack: AlertChannel = { ...(await s.alerts.getChannel("team-a-hook"))!, id: "slack", type: "slack", teamId: null };
    await s.alerts.saveChannel(slack);
    await truth("a", 0, [3, 3, 3]);
    await truth("b", 0, [3, 3, 3]);
    const w = 20;
    await evaluate(w);
    const now = (S0 + w) * 1000;
    const due = (await s.alerts.listNotifications({ limit: 10 })).map((n) => [n.channelId, n.nextAttemptMs - now]).sort();
    const windowEnd = Math.ceil((now + 1) / 30_000) * 30_000 - now;
    expect(windowEnd).toBeGreaterThan(0);
    expect(due).toEqual([
      ["in-app", 0],
      ["in-app", 0],
      ["slack", windowEnd],
      ["slack", windowEnd],
      ["team-a-hook", 0],
    ]);
  });

  it("two evaluations at once (two runners for a moment) tell a change once", async () => {
    await truth("a", 0, [3, 3, 3, 3, 3]);
    await evaluate(2, 4); // firing, told live
    await s.ingest.commit(SPEND_LOG_SOURCE, [], { completeBeforeMs: (S0 + 100) * 1000, endWatermarkMs: (S0 + 100) * 1000 });
    const run = () => evaluateAlerts({ store: s, settings: SETTINGS, sharedLimiter: async () => true }, (S0 + 100) * 1000);
    const reports = await Promise.all([run(), run()]);
    expect(reports.map((r) => r.resolved).sort()).toEqual([0, 1]);
    expect((await phases()).filter((p) => p.endsWith(":resolved"))).toEqual(["in-app:concurrency_limit_exceeded.resolved:resolved", "team-a-hook:concurrency_limit_exceeded.resolved:resolved"]);
  });

  it("a rule disabled while its alert fires resolves it at once, told once", async () => {
    await truth("a", 0, [3, 3, 3, 3, 3]);
    await evaluate(2, 4);
    const rule = (await s.alerts.getRule("default-exceeded"))!;
    await s.alerts.saveRule({ ...rule, enabled: false });
    await evaluate(3, 5);
    expect((await s.alerts.listAlerts({ limit: 5 }))[0]).toMatchObject({ state: "resolved" });
    expect((await phases()).filter((p) => p.endsWith(":resolved"))).toHaveLength(2);
    await evaluate(4, 6);
    expect((await phases()).filter((p) => p.endsWith(":resolved"))).toHaveLength(2);
  });

  it("a rule's minimum duration keeps a short stretch pending (nothing told), and fires once it lasts", async () => {
    const rule = (await s.alerts.getRule("default-exceeded"))!;
    await s.alerts.saveRule({ ...rule, params: { margin: 0, minDurationS: 10 } });
    await truth("a", 0, [3, 3, 3]);
    await evaluate(1, 3);
    expect((await s.alerts.listAlerts({ limit: 5 }))[0]).toMatchObject({ state: "pending" });
    expect(await phases()).toEqual([]);
    await truth("a", 3, Array(10).fill(3));
    await evaluate(5, 13);
    expect((await s.alerts.listAlerts({ limit: 5 }))[0]).toMatchObject({ state: "firing", announced: "live" });
    expect(await phases()).toEqual(["in-app:concurrency_limit_exceeded:firing", "team-a-hook:concurrency_limit_exceeded:firing"]);
  });
});
