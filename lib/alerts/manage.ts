import crypto from "node:crypto";
import type { Principal } from "../accounts/roles";
import type { AuditRepository } from "../audit/repository";
import type { ChannelCreate, ChannelUpdate, RuleInput, SilenceInput } from "../api/alerts";
import { ApiError } from "../http/api-error";
import type { ChannelType, SendContext } from "./channels/channel";
import { NOTIFIERS, validateChannelConfig } from "./channels/index";
import type { AlertChannel, AlertRepository, AlertRule, Silence } from "./repository";
import type { SendResult } from "./types";

// The admins' writes to alerting (rules, channels, silences, resends): each checks, writes, and
// leaves an audit line. Routes call these after withAccess("admin"); secrets never enter the audit.

interface Deps {
  alerts: AlertRepository;
  audit: AuditRepository;
  actor: Principal;
  /** ALERT_ALLOWED_HOSTS: targets that may resolve to private addresses. */
  allowedHosts: readonly string[];
}

function audit(d: Deps, action: string, subject: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  return d.audit.append({
    atMs: Date.now(),
    actorKind: d.actor.kind,
    actorId: d.actor.id,
    actorLabel: d.actor.label,
    action,
    keyHash: null,
    keyAlias: null,
    teamId: null,
    before: before && { subject, ...before },
    after: after && { subject, ...after },
    reason: null,
    outcome: "applied",
    message: null,
  });
}

const ruleFacts = (r: Pick<AlertRule, "detector" | "scope" | "params" | "enabled">) => ({ detector: r.detector, scope: r.scope, params: r.params, enabled: r.enabled });

export async function createRule(d: Deps, input: RuleInput): Promise<AlertRule> {
  const now = Date.now();
  const rule: AlertRule = { id: crypto.randomUUID(), ...input, builtIn: false, createdAtMs: now, updatedAtMs: now };
  await d.alerts.saveRule(rule);
  await audit(d, "alert.rule.create", `rule ${rule.name}`, null, ruleFacts(rule));
  return rule;
}

/** A built-in rule may be tuned or disabled, but keeps its detector. */
export async function updateRule(d: Deps, id: string, input: RuleInput): Promise<AlertRule> {
  const old = await d.alerts.getRule(id);
  if (!old) throw new ApiError(404, "not_found", "No alert rule with this id");
  if (old.builtIn && input.detector !== old.detector) throw new ApiError(422, "invalid_input", "detector: a built-in rule keeps its detector (disable it and add a rule instead)");
  const rule: AlertRule = { ...old, ...input, updatedAtMs: Date.now() };
  await d.alerts.saveRule(rule);
  await audit(d, "alert.rule.update", `rule ${rule.name}`, ruleFacts(old), ruleFacts(rule));
  return rule;
}

export async function deleteRule(d: Deps, id: string): Promise<void> {
  const old = await d.alerts.getRule(id);
  if (!old) throw new ApiError(404, "not_found", "No alert rule with this id");
  if (old.builtIn) throw new ApiError(409, "conflict", "A built-in rule cannot be removed: disable it instead");
  // Its open alerts must close with their resolved message first (a receiver keeps no open incident).
  if ((await d.alerts.openAlerts()).some((a) => a.ruleId === id)) {
    throw new ApiError(409, "conflict", "This rule has open alerts: disable it (they resolve at the next evaluation), then remove it");
  }
  await d.alerts.removeRule(id);
  await audit(d, "alert.rule.delete", `rule ${old.name}`, ruleFacts(old), null);
}

function checkConfig(type: ChannelType, config: unknown, allowedHosts: readonly string[]): Record<string, unknown> {
  const check = validateChannelConfig(type, config, allowedHosts);
  if (!check.ok) throw new ApiError(422, "invalid_input", check.errors.join("; "));
  return check.config as Record<string, unknown>;
}

/** What the audit keeps of a channel: its target redacted (an environment channel's lives in the environment). */
const channelFacts = (c: AlertChannel) => ({
  name: c.name,
  type: c.type,
  teamId: c.teamId,
  enabled: c.enabled,
  target: c.source === "ui" ? NOTIFIERS[c.type].redact(c.config as never) : c.source,
});

export async function createChannel(d: Deps, input: ChannelCreate): Promise<AlertChannel> {
  const now = Date.now();
  const channel: AlertChannel = {
    id: crypto.randomUUID(),
    name: input.name,
    type: input.type,
    config: checkConfig(input.type, input.config, d.allowedHosts),
    teamId: input.teamId,
    source: "ui",
    enabled: input.enabled,
    consecutiveFailures: 0,
    pausedAtMs: null,
    lastError: null,
    createdAtMs: now,
    updatedAtMs: now,
  };
  await d.alerts.saveChannel(channel);
  await audit(d, "alert.channel.create", `channel ${channel.name}`, null, channelFacts(channel));
  return channel;
}

/** A channel the environment configures (or the builtin feed) can only be enabled or disabled here. */
async function editable(d: Deps, id: string, what: string): Promise<AlertChannel> {
  const old = await d.alerts.getChannel(id);
  if (!old) throw new ApiError(404, "not_found", "No alert channel with this id");
  if (old.source !== "ui" && what !== "enabled") throw new ApiError(409, "conflict", `This channel is configured by ${old.source === "env" ? "the environment (ALERT_* settings)" : "Inflight itself"}: change it there`);
  return old;
}

export async function updateChannel(d: Deps, id: string, input: ChannelUpdate): Promise<AlertChannel> {
  const onlyEnabled = Object.keys(input).every((k) => k === "enabled");
  const old = await editable(d, id, onlyEnabled ? "enabled" : "config");
  // Fields left out or empty keep their stored value: a secret is never sent back to be retyped.
  const given = Object.fromEntries(Object.entries(input.config ?? {}).filter(([, v]) => v !== "" && v !== null && v !== undefined));
  const channel: AlertChannel = {
    ...old,
    name: input.name ?? old.name,
    teamId: input.teamId === undefined ? old.teamId : input.teamId,
    enabled: input.enabled ?? old.enabled,
    config: input.config ? checkConfig(old.type, { ...old.config, ...given }, d.allowedHosts) : old.config,
    updatedAtMs: Date.now(),
  };
  await d.alerts.saveChannel(channel);
  await audit(d, "alert.channel.update", `channel ${channel.name}`, channelFacts(old), channelFacts(channel));
  return channel;
}

export async function deleteChannel(d: Deps, id: string): Promise<void> {
  const old = await editable(d, id, "remove");
  await d.alerts.removeChannel(id);
  await audit(d, "alert.channel.delete", `channel ${old.name}`, channelFacts(old), null);
}

export async function resumeChannel(d: Deps, id: string): Promise<void> {
  const old = await d.alerts.getChannel(id);
  if (!old) throw new ApiError(404, "not_found", "No alert channel with this id");
  await d.alerts.resumeChannel(id, Date.now());
  await audit(d, "alert.channel.resume", `channel ${old.name}`, { pausedAtMs: old.pausedAtMs, failures: old.consecutiveFailures }, { pausedAtMs: null, enabled: true });
}

/** Sends the channel's test message now, through the same path as a real one; the answer says how it went. */
export async function testChannel(
  d: Pick<Deps, "alerts" | "allowedHosts">,
  id: string,
  envConfigs: ReadonlyMap<string, Record<string, unknown>>,
  timeoutMs: number,
  environment: string | null,
): Promise<SendResult> {
  const channel = await d.alerts.getChannel(id);
  if (!channel) throw new ApiError(404, "not_found", "No alert channel with this id");
  const config = channel.source === "env" ? envConfigs.get(id) : channel.config;
  if (!config) throw new ApiError(409, "conflict", "The environment no longer configures this channel");
  const ctx: SendContext = {
    allowedHosts: d.allowedHosts,
    timeoutMs,
    environment,
    feed: { add: (n) => d.alerts.addFeedItem({ alertId: n.alertId, teamId: channel.teamId, notification: n, createdAtMs: Date.now() }) },
  };
  return NOTIFIERS[channel.type].test(checkConfig(channel.type, config, d.allowedHosts) as never, ctx);
}

export async function addSilence(d: Deps, input: SilenceInput): Promise<Silence> {
  if (!input.ruleId && !input.keyHash && !input.teamId) throw new ApiError(422, "invalid_input", "A silence needs a rule, a key or a team (to mute everything, disable the channels)");
  if (input.ruleId && !(await d.alerts.getRule(input.ruleId))) throw new ApiError(422, "invalid_input", "ruleId: no alert rule with this id");
  const now = Date.now();
  const s: Silence = { id: crypto.randomUUID(), ruleId: input.ruleId, keyHash: input.keyHash, teamId: input.teamId, endsAtMs: now + input.minutes * 60_000, comment: input.comment, createdBy: d.actor.label, createdAtMs: now };
  await d.alerts.saveSilence(s);
  await audit(d, "alert.silence.create", "silence", null, { ruleId: s.ruleId, keyHash: s.keyHash, teamId: s.teamId, endsAtMs: s.endsAtMs, comment: s.comment });
  return s;
}

export async function removeSilence(d: Deps, id: string): Promise<void> {
  if (!(await d.alerts.removeSilence(id))) throw new ApiError(404, "not_found", "No silence with this id");
  await audit(d, "alert.silence.delete", "silence", { id }, null);
}

/**
 * Queues a notification again. Not a firing or repeat message once a later one of the same alert
 * went out on that channel: a receiver would reopen what was resolved (a PagerDuty incident left open).
 */
export async function resendNotification(d: Deps, id: string): Promise<void> {
  const n = await d.alerts.getNotification(id);
  if (!n) throw new ApiError(404, "not_found", "No notification with this id");
  const later = (await d.alerts.notificationsOf(n.alertId)).some((o) => o.channelId === n.channelId && o.createdAtMs > n.createdAtMs && o.status === "sent");
  if (later && (n.phase === "firing" || n.phase === "repeat")) {
    throw new ApiError(409, "conflict", "A later message about this alert already went out on this channel: resending this one would reopen it there");
  }
  await d.alerts.resend(id, Date.now());
  await audit(d, "alert.notification.resend", "notification", null, { id });
}
