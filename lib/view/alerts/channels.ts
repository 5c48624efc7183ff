import type { ChannelView, EDITABLE_CHANNEL_TYPES } from "../../api/alerts";
import type { ChannelType } from "../../alerts/channels/channel";

// How the channels read in the browser: their type, their state, their target (already redacted
// by the server) and the fields of the add/edit form per type.

export const CHANNEL_TYPE_LABELS: Record<ChannelType, string> = { "in-app": "In-app", slack: "Slack", pagerduty: "PagerDuty", webhook: "Webhook" };

export type EditableType = (typeof EDITABLE_CHANNEL_TYPES)[number];

export interface ConfigField {
  name: string;
  label: string;
  placeholder: string;
  /** Left empty, the server keeps the stored value on an edit; a new channel needs it unless optional. */
  optional?: boolean;
  /** The webhook's signing secret: the form offers to generate one. */
  generate?: boolean;
}

/** Each type's config fields (lib/alerts/channels/README.md). None is ever prefilled: the browser only sees redacted values. */
export const CONFIG_FIELDS: Record<EditableType, ConfigField[]> = {
  slack: [{ name: "webhookUrl", label: "Slack webhook URL", placeholder: "https://hooks.slack.com/services/T…/B…/…" }],
  pagerduty: [
    { name: "routingKey", label: "Routing key (Integration Key)", placeholder: "32 characters from the service's Events API v2 integration" },
    { name: "url", label: "Events API URL", placeholder: "https://events.pagerduty.com/v2/enqueue", optional: true },
  ],
  webhook: [
    { name: "url", label: "URL", placeholder: "https://example.com/hooks/inflight" },
    { name: "secret", label: "Signing secret (Standard Webhooks)", placeholder: "whsec_…", generate: true },
  ],
};

export interface ChannelStatus {
  tone: "ok" | "warn" | "bad" | "off";
  text: string;
  /** The last error, when the channel is failing or paused. */
  detail: string | null;
}

/** Delivering, failing (retries continue), paused (nothing goes out until resumed), or switched off. */
export function channelStatus(c: Pick<ChannelView, "enabled" | "pausedAtMs" | "consecutiveFailures" | "lastError">): ChannelStatus {
  if (c.pausedAtMs !== null) return { tone: "bad", text: `paused after ${c.consecutiveFailures} failures`, detail: c.lastError };
  if (!c.enabled) return { tone: "off", text: "disabled", detail: null };
  if (c.consecutiveFailures > 0) return { tone: "warn", text: `failing, ${c.consecutiveFailures} in a row`, detail: c.lastError };
  return { tone: "ok", text: "ok", detail: null };
}

/** The redacted target, a line per config value ("http://127.0.0.1:4000/…", "whsec_…a1b2"); the in-app feed has none. */
export function targetLines(c: Pick<ChannelView, "type" | "config">): string[] {
  if (c.type === "in-app") return ["the bell in Inflight's header"];
  const values = Object.values(c.config).filter((v): v is string => !!v);
  return values.length ? values : ["—"];
}

/** Who set the channel up: the UI (editable), the environment (ALERT_* settings) or Inflight itself (the feed). */
export const SOURCE_LABELS: Record<ChannelView["source"], string | null> = { ui: null, env: "environment", builtin: "built in" };
