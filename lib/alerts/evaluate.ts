import crypto from "node:crypto";
import { limitStepsByKey, lowestLimits, type LimitStep } from "../catalog/limit-steps";
import type { KeyRef } from "../catalog/repository";
import { SPEND_LOG_SOURCE } from "../ingest/ingest";
import { readEvidence } from "../series/evidence";
import type { Store } from "../store/store";
import { DETECT, type BeliefSecond, type Finding, type KeyWindow, type TruthSecond } from "./detect";
import { notificationOf, type MessageContext } from "./message";
import { routeChannels } from "./routing";
import { NOTIFIERS } from "./channels/index";
import { AlertConflictError, type AlertChanges, type AlertChannel, type AlertRecord, type AlertRule, type Silence } from "./repository";
import { covers, parseParams } from "./rules";
import { advance, retire, type LifecycleSettings } from "./state";

export interface EvaluateSettings extends LifecycleSettings, MessageContext {
  /** Truth re-read by each evaluation (late rows within it are found). */
  lookbackS: number;
  /** Longest wait for long requests before stuck and drift trust the truth as final. */
  settleMaxS: number;
  /**
   * Notifications to channels that group (Slack) are due at the end of a window of this many
   * seconds (Alertmanager's group_wait): a burst of alerts across keys goes out as one message.
   */
  groupWaitS: number;
}

export interface EvaluateDeps {
  store: Pick<Store, "catalog" | "series" | "samples" | "ingest" | "alerts" | "live">;
  settings: EvaluateSettings;
  /** Whether LiteLLM keeps shared limiter state (lib/alerts/limiter-sharing.ts); null: unknown. */
  sharedLimiter: () => Promise<boolean | null>;
}

export interface EvaluateReport {
  /** Why nothing was evaluated (no ingest yet), else null. */
  skipped: string | null;
  keys: number;
  rules: number;
  open: number;
  fired: number;
  resolved: number;
  notifications: number;
}

/**
 * One evaluation: each enabled rule's detector over the last `lookbackS` of truth for every key it
 * covers (and every key with an open alert of it), each (rule, key) alert moved one step through
 * its life cycle, and the notifications those steps cause written in the same transaction (the
 * outbox). Idempotent: evaluating again with nothing new changes nothing.
 */
export async function evaluateAlerts({ store, settings: s, sharedLimiter }: EvaluateDeps, nowMs = Date.now()): Promise<EvaluateReport> {
  const report: EvaluateReport = { skipped: null, keys: 0, rules: 0, open: 0, fired: 0, resolved: 0, notifications: 0 };
  const cursor = await store.ingest.readCursor(SPEND_LOG_SOURCE);
  if (!cursor) return { ...report, skipped: "no spend logs read yet" };
  const completeSec = Math.floor(cursor.endWatermarkMs / 1000);
  const toSec = Math.max(completeSec, Math.floor(nowMs / 1000));
  const fromSec = toSec - s.lookbackS;
  // From here on spend logs may still lack requests: the tracker's live seconds (when a callback is
  // mounted) fill in, so an alert need not wait for the proxy's flush.
  const liveFromSec = Math.max(fromSec, Math.floor(cursor.completeBeforeMs / 1000));

  const [keys, rules, open, silences, channels] = await Promise.all([
    store.catalog.listedKeys(),
    store.alerts.listRules(),
    store.alerts.openAlerts(),
    store.alerts.listSilences(nowMs),
    store.alerts.listChannels(),
  ]);
  const active = rules.filter((r) => r.enabled);
  const byId = new Map(keys.map((k) => [k.id, k]));
  const changes = await store.catalog.limitChanges(keys.map((k) => k.id), toSec * 1000);
  const steps = limitStepsByKey(keys.map((k) => k.id), changes, fromSec * 1000, toSec * 1000);
  // A key without recorded changes (none seen since it was listed) has its current limit throughout.
  for (const k of keys) {
    if (!steps.get(k.id)!.length && k.maxParallelRequests !== null) {
      steps.set(k.id, [{ fromMs: fromSec * 1000, maxParallelRequests: k.maxParallelRequests, rpmLimit: k.rpmLimit, tpmLimit: k.tpmLimit, source: "proxy" }]);
    }
  }
  const limited = (k: KeyRef) => steps.get(k.id)!.some((st) => st.maxParallelRequests !== null);

  // Every (rule, key) to evaluate: keys the rule covers that have a limit, and open alerts (those of
  // a rule since disabled or narrowed are retired below).
  const pairs = new Map<string, { rule: AlertRule; key: KeyRef; alert: AlertRecord | null }>();
  for (const rule of active) for (const key of keys) if (covers(rule.scope, key) && limited(key)) pairs.set(`${rule.id}:${key.id}`, { rule, key, alert: null });
  const rulesById = new Map(rules.map((r) => [r.id, r]));
  for (const a of open) {
    const rule = rulesById.get(a.ruleId);
    const key = byId.get(a.keyId);
    if (rule && key) pairs.set(`${a.ruleId}:${a.keyId}`, { rule, key, alert: a });
  }
  report.rules = active.length;
  const keyIds = await candidates(store, pairs.values(), steps, { fromSec, liveFromSec, toSec });
  report.keys = keyIds.length;
  if (!keyIds.length) return report;

  const chosen = new Set(keyIds);
  // LiteLLM's belief only where stuck or drift will read it: the candidates, not every covered key.
  const needBelief = new Set([...pairs.values()].filter((p) => chosen.has(p.key.id) && (p.rule.detector === "drift" || p.rule.detector === "stuck")).map((p) => p.key.id));
  const [truth, live, longest, closed, shared] = await Promise.all([
    store.series.buckets({ keyIds, resolution: "1s", fromSec, toSec, bucketSec: 1 }),
    Promise.all(keyIds.map(async (id) => [id, await store.live.buckets(id, liveFromSec, toSec + 1, 1)] as const)),
    store.ingest.longestRequests(keyIds),
    store.alerts.lastClosed(fromSec),
    [...pairs.values()].some((p) => p.rule.detector === "multiplied") ? sharedLimiter() : Promise.resolve(null),
  ]);
  const beliefs = new Map(
    await Promise.all(
      [...needBelief].map(async (id) => [id, (await store.samples.buckets(id, fromSec, toSec, 1)).map((b): BeliefSecond => ({ sec: b.t, believed: b.believed, rawMin: b.rawMin }))] as const),
    ),
  );
  const truthBy = new Map<number, TruthSecond[]>();
  for (const b of truth) {
    const list = truthBy.get(b.keyId) ?? [];
    list.push({ sec: b.t, maxInFlight: b.maxInFlight, rejected: b.rejected });
    truthBy.set(b.keyId, list);
  }
  for (const [id, seconds] of live) truthBy.set(id, withLive(truthBy.get(id) ?? [], seconds));
  const windowOf = (key: KeyRef): KeyWindow => ({
    fromSec,
    toSec,
    settledToSec: completeSec - Math.min(s.settleMaxS, Math.ceil((longest.get(key.id) ?? 0) / 1000)),
    steps: steps.get(key.id)!,
    truth: (truthBy.get(key.id) ?? []).sort((a, b) => a.sec - b.sec),
    belief: beliefs.get(key.id) ?? [],
    sharedLimiter: shared,
  });

  const out: AlertChanges = { upsert: [], remove: [], notifications: [] };
  for (const { rule, key, alert } of pairs.values()) {
    if (!chosen.has(key.id)) continue;
    const w = windowOf(key);
    const params = parseParams(rule.detector, rule.params);
    const findings: Finding[] = (DETECT[rule.detector] as (w: KeyWindow, p: unknown) => Finding[])(w, params);
    const step = alert && (!rule.enabled || !covers(rule.scope, key)) ? retire(alert, nowMs) : advance(
      alert,
      {
        findings,
        minDurationS: params.minDurationS,
        nowSec: w.settledToSec,
        nowMs,
        silenced: silenced(silences, rule, key),
        closedSec: closed.get(`${rule.id}:${key.id}`) ?? null,
      },
      s,
      () => ({ id: crypto.randomUUID(), ruleId: rule.id, keyId: key.id }),
    );
    if (step.removed && alert) out.remove.push(alert.id);
    if (!step.alert) continue;
    // The requests at the peak, read again when the peak moved or, while it fires, as long as fewer
    // are stored than it counts (a peak seen live, before its spend-log rows all arrived).
    let next = step.alert;
    const ev = next.evidence;
    const short = next.state === "firing" && Number(ev.requestsAtPeak ?? 0) < (next.peak ?? 0);
    if (next.state !== "pending" && typeof ev.peakSec === "number" && (next.peak !== alert?.peak || short)) {
      next = { ...next, evidence: { ...ev, ...(await requestsAtPeak(store.ingest, key.id, ev.peakSec)) } };
    }
    if (alert && !changed(alert, next) && !step.phase) continue;
    out.upsert.push(next);
    if (next.state === "firing" && alert?.state !== "firing") report.fired++;
    if (next.state === "resolved") report.resolved++;
    if (!step.phase) continue;
    for (const channel of routeChannels(channels, key)) {
      const id = crypto.randomUUID();
      const payload = notificationOf(id, next, rule.detector, step.phase, rule.name, key, s, nowMs);
      out.notifications.push({ id, alertId: next.id, channelId: channel.id, phase: step.phase, payload, nextAttemptMs: dueAt(channel, s.groupWaitS, nowMs), createdAtMs: nowMs });
    }
  }
  const after = new Map(open.map((a) => [a.id, a]));
  for (const a of out.upsert) after.set(a.id, a);
  for (const id of out.remove) after.delete(id);
  report.open = [...after.values()].filter((a) => a.state !== "resolved").length;
  report.notifications = out.notifications.length;
  if (!out.upsert.length && !out.remove.length) return report;
  try {
    await store.alerts.apply({ ...out, read: Object.fromEntries(open.map((a) => [a.id, a.updatedAtMs])) });
  } catch (e) {
    // Another evaluation changed an alert meanwhile (two runners for a moment): it told what there
    // was to tell; the next evaluation starts from what it wrote.
    if (!(e instanceof AlertConflictError)) throw e;
    return { ...report, skipped: e.message, fired: 0, resolved: 0, notifications: 0 };
  }
  return report;
}

/**
 * The keys worth reading second by second: those with an open alert or a drift rule, and those
 * whose minute roll-ups over the window show more in flight than their lowest limit or a
 * max_parallel_requests 429. One read of at most a few rows a key, so a proxy of hundreds of keys
 * within their limits costs little each evaluation.
 */
async function candidates(
  store: Pick<EvaluateDeps["store"], "series" | "live">,
  pairs: Iterable<{ rule: AlertRule; key: KeyRef; alert: AlertRecord | null }>,
  steps: Map<number, LimitStep[]>,
  { fromSec, liveFromSec, toSec }: { fromSec: number; liveFromSec: number; toSec: number },
): Promise<number[]> {
  const all = new Set<number>();
  const always = new Set<number>();
  for (const p of pairs) {
    all.add(p.key.id);
    if (p.alert || p.rule.detector === "drift") always.add(p.key.id);
  }
  const rest = [...all].filter((id) => !always.has(id));
  if (!rest.length) return [...always];
  const lowest = lowestLimits(new Map(rest.map((id) => [id, steps.get(id)!])));
  const [totals, livePeaks] = await Promise.all([
    store.series.totals(rest, "1m", [[Math.floor(fromSec / 60) * 60, Math.ceil(toSec / 60) * 60]]),
    store.live.peaks(rest, liveFromSec, toSec + 1),
  ]);
  for (const t of totals) if (t.rejected > 0 || t.maxInFlight > (lowest.get(t.keyId) ?? Infinity)) always.add(t.keyId);
  for (const [id, peak] of livePeaks) if (peak > (lowest.get(id) ?? Infinity)) always.add(id);
  return [...always];
}

/**
 * Stored truth with the tracker's live seconds laid over it: a second's most in flight is the larger
 * of the two (spend logs may lack a request that is still running or not flushed yet; the tracker
 * never sees a request the proxy has not started). Sorted by second.
 */
function withLive(truth: TruthSecond[], live: { t: number; maxInFlight: number }[]): TruthSecond[] {
  if (!live.length) return truth;
  const bySec = new Map(truth.map((t) => [t.sec, t]));
  for (const l of live) {
    const t = bySec.get(l.t);
    if (!t) bySec.set(l.t, { sec: l.t, maxInFlight: l.maxInFlight, rejected: 0 });
    else if (l.maxInFlight > t.maxInFlight) bySec.set(l.t, { ...t, maxInFlight: l.maxInFlight });
  }
  return [...bySec.values()].sort((a, b) => a.sec - b.sec);
}

/** When a notification is due: at once, or for a channel that groups, at the end of the current group window. */
function dueAt(channel: AlertChannel, groupWaitS: number, nowMs: number): number {
  if (!NOTIFIERS[channel.type].sendGroup || groupWaitS <= 0) return nowMs;
  const w = groupWaitS * 1000;
  return Math.ceil((nowMs + 1) / w) * w;
}

/** How many stored requests each alert keeps as evidence of its peak (the key page shows them all). */
const EVIDENCE_REQUESTS = 20;

/** The requests in flight at the peak second: the evidence a bug report to LiteLLM needs. */
async function requestsAtPeak(ingest: EvaluateDeps["store"]["ingest"], keyId: number, peakSec: number): Promise<Record<string, unknown>> {
  const ev = await readEvidence(ingest, keyId, peakSec * 1000, (peakSec + 1) * 1000, 0);
  return {
    peakAtMs: ev.peakAtMs,
    requestsAtPeak: ev.requests.length,
    requests: ev.requests.slice(0, EVIDENCE_REQUESTS).map((r) => ({ requestId: r.requestId, startMs: r.startMs, endMs: r.endMs, model: r.model })),
  };
}

function silenced(silences: Silence[], rule: AlertRule, key: KeyRef): boolean {
  return silences.some((x) => (x.ruleId === null || x.ruleId === rule.id) && (x.keyHash === null || x.keyHash === key.hash) && (x.teamId === null || x.teamId === key.teamId));
}

/** Whether a step changed what is stored (besides the updated-at stamp). */
function changed(a: AlertRecord, b: AlertRecord): boolean {
  const { updatedAtMs: _a, ...x } = a;
  const { updatedAtMs: _b, ...y } = b;
  return JSON.stringify(x) !== JSON.stringify(y);
}
