import type { ServerConfig } from "../config/env";
import type { ChannelType } from "./channels/channel";
import { validateChannelConfig } from "./channels/index";
import type { AlertChannel } from "./repository";

/** A channel the environment configures (or the builtin in-app feed): its row, and its config kept in memory only. */
export interface FixedChannel {
  row: Pick<AlertChannel, "id" | "name" | "type" | "teamId" | "source">;
  config: Record<string, unknown>;
}

/**
 * The in-app feed and the channels ALERT_* settings configure. Each routes every rule; an admin
 * sees them in the UI as configured by the environment and cannot edit them there. A config the
 * channel refuses (e.g. a webhook secret that is not whsec_…) stops the start with its message.
 */
export function fixedChannels(c: ServerConfig): FixedChannel[] {
  const out: FixedChannel[] = [{ row: { id: "in-app", name: "In-app (the bell)", type: "in-app", teamId: null, source: "builtin" }, config: {} }];
  const add = (id: string, name: string, type: ChannelType, config: Record<string, unknown>, setting: string) => {
    const check = validateChannelConfig(type, config, c.ALERT_ALLOWED_HOSTS);
    if (!check.ok) throw new Error(`${setting}: ${check.errors.join("; ")}`);
    out.push({ row: { id, name, type, teamId: null, source: "env" }, config: check.config as Record<string, unknown> });
  };
  if (c.ALERT_WEBHOOK_URL && c.ALERT_WEBHOOK_SECRET) add("env-webhook", "Webhook (ALERT_WEBHOOK_URL)", "webhook", { url: c.ALERT_WEBHOOK_URL, secret: c.ALERT_WEBHOOK_SECRET }, "ALERT_WEBHOOK_URL");
  if (c.ALERT_SLACK_WEBHOOK_URL) add("env-slack", "Slack (ALERT_SLACK_WEBHOOK_URL)", "slack", { webhookUrl: c.ALERT_SLACK_WEBHOOK_URL }, "ALERT_SLACK_WEBHOOK_URL");
  if (c.ALERT_PAGERDUTY_ROUTING_KEY) {
    add(
      "env-pagerduty",
      "PagerDuty (ALERT_PAGERDUTY_ROUTING_KEY)",
      "pagerduty",
      { routingKey: c.ALERT_PAGERDUTY_ROUTING_KEY, ...(c.ALERT_PAGERDUTY_URL ? { url: c.ALERT_PAGERDUTY_URL } : {}) },
      "ALERT_PAGERDUTY_ROUTING_KEY",
    );
  }
  return out;
}

/** The environment channels' configs by channel id, as delivery and the channels API look them up. */
export function envConfigsOf(channels: FixedChannel[]): ReadonlyMap<string, Record<string, unknown>> {
  return new Map(channels.map((f) => [f.row.id, f.config]));
}
