import type { ChannelType, SendContext } from "./channels/channel";
import { NOTIFIERS, validateChannelConfig } from "./channels/index";
import type { AlertChannel, AlertRepository, AttemptOutcome, OutboxNotification } from "./repository";
import type { SendResult } from "./types";

/** Slack for the store's writes around a send, inside a claim. */
const CLAIM_MARGIN_MS = 5_000;

export interface DeliverySettings {
  timeoutMs: number;
  allowedHosts: readonly string[];
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  pauseAfter: number;
  /** Notifications claimed per run. */
  batch: number;
}

export interface DeliverDeps {
  alerts: AlertRepository;
  settings: DeliverySettings;
  /** The configs of the channels the environment configures, by channel id (their secrets never enter the store). */
  envConfigs: ReadonlyMap<string, Record<string, unknown>>;
  random?: () => number;
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Delivers the due notifications of the outbox: claims them (another instance cannot send them
 * meanwhile), sends each through its channel's notifier, records every attempt, retries with
 * backoff and jitter (never sooner than the receiver's Retry-After), gives up after maxAttempts or
 * on a permanent error (the notification can be resent), and pauses a channel failing pauseAfter
 * times in a row. The notifications of one alert to one channel go out in order: a later one waits
 * while an earlier one is retried. A channel people read (Slack) gets a rule's alerts that came due
 * together as one message (the evaluation makes them due together: ALERT_GROUP_WAIT_S).
 */
export async function deliverDue({ alerts, settings: s, envConfigs, random = Math.random }: DeliverDeps, nowMs = Date.now()): Promise<DeliveryReport> {
  const claimMs = s.timeoutMs * 2 + 2 * CLAIM_MARGIN_MS;
  const due = await alerts.claimDue(nowMs, s.batch, claimMs);
  const report: DeliveryReport = { claimed: due.length, sent: 0, retrying: 0, failed: 0 };
  if (!due.length) return report;
  const channels = new Map((await alerts.listChannels()).map((c) => [c.id, c]));
  const ctx: SendContext = {
    allowedHosts: s.allowedHosts,
    timeoutMs: s.timeoutMs,
    feed: { add: (n) => alerts.addFeedItem({ alertId: n.alertId, teamId: n.teamId, notification: n, createdAtMs: Date.now() }) },
  };
  // Channels are independent (one slow receiver must not hold the others up); within one, in order.
  const byChannel = new Map<string, OutboxNotification[]>();
  for (const n of due) byChannel.set(n.channelId, [...(byChannel.get(n.channelId) ?? []), n]);
  await Promise.all(
    [...byChannel].map(async ([channelId, list]) => {
      const channel = channels.get(channelId);
      for (const group of groups(channel, list)) {
        // Never send once the claim could have run out: another instance may claim it then. What is
        // left keeps its claim until it expires and goes out in a later run.
        if (Date.now() + s.timeoutMs + CLAIM_MARGIN_MS > nowMs + claimMs) break;
        const result = channel ? await send(channel, group, envConfigs, ctx) : refused("the channel no longer exists");
        for (const n of group) {
          const outcome = outcomeOf(n, result, s, Date.now(), random);
          await alerts.recordAttempt(
            { notificationId: n.id, atMs: Date.now(), ok: result.ok, httpStatus: result.status, latencyMs: Math.round(result.latencyMs), error: result.error },
            outcome,
          );
          report[outcome.status === "sent" ? "sent" : outcome.status === "pending" ? "retrying" : "failed"]++;
        }
        if (channel && channel.type !== "in-app") await alerts.recordChannelResult(channel.id, result.ok, result.error, s.pauseAfter, Date.now());
      }
    }),
  );
  return report;
}

/** What goes out as one message: a channel that groups (Slack) takes a rule's alerts due together at once; others one by one. */
function groups(channel: AlertChannel | undefined, list: OutboxNotification[]): OutboxNotification[][] {
  if (!channel || !NOTIFIERS[channel.type].sendGroup) return list.map((n) => [n]);
  const byRule = new Map<string, OutboxNotification[]>();
  for (const n of list) byRule.set(n.payload.ruleName, [...(byRule.get(n.payload.ruleName) ?? []), n]);
  return [...byRule.values()];
}

async function send(channel: AlertChannel, group: OutboxNotification[], envConfigs: ReadonlyMap<string, Record<string, unknown>>, ctx: SendContext): Promise<SendResult> {
  const raw = channel.source === "env" ? envConfigs.get(channel.id) : channel.config;
  if (!raw) return refused("the environment no longer configures this channel");
  const check = validateChannelConfig(channel.type as ChannelType, raw, ctx.allowedHosts);
  if (!check.ok) return refused(`the channel's settings are invalid: ${check.errors.join("; ")}`);
  const notifier = NOTIFIERS[channel.type] as (typeof NOTIFIERS)["slack"];
  const payloads = group.map((n) => ({ ...n.payload, id: n.id }));
  try {
    return payloads.length > 1 && notifier.sendGroup ? await notifier.sendGroup(payloads, check.config as never, ctx) : await notifier.send(payloads[0], check.config as never, ctx);
  } catch (e) {
    // A notifier throwing is a bug or an unreachable store (in-app): retry like a network error.
    return { ok: false, status: null, latencyMs: 0, error: e instanceof Error ? e.message : String(e), retryAfterMs: null, permanent: false };
  }
}

function refused(error: string): SendResult {
  return { ok: false, status: null, latencyMs: 0, error, retryAfterMs: null, permanent: true };
}

/** What an attempt leads to: sent, another try after backoff (at least the Retry-After), or given up. */
export function outcomeOf(n: Pick<OutboxNotification, "attempts">, r: SendResult, s: Pick<DeliverySettings, "retryBaseMs" | "retryMaxMs" | "maxAttempts">, nowMs: number, random: () => number): AttemptOutcome {
  if (r.ok) return { status: "sent" };
  const attempts = n.attempts + 1;
  if (r.permanent || attempts >= s.maxAttempts) return { status: "failed" };
  const backoff = Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** (attempts - 1));
  // Full jitter on the upper half: retries of many notifications spread out, none comes much sooner.
  const jittered = backoff / 2 + (random() * backoff) / 2;
  return { status: "pending", nextAttemptMs: nowMs + Math.max(jittered, r.retryAfterMs ?? 0) };
}
