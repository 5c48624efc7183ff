import type { z } from "zod";
import type { AlertNotification, SendResult } from "../types";

export const CHANNEL_TYPES = ["in-app", "slack", "pagerduty", "webhook"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Where the in-app channel puts a notification (the bell's feed, kept by the store). */
export interface InAppFeed {
  add(n: AlertNotification): Promise<void>;
}

/** What a send needs besides the notification and the channel's config. */
export interface SendContext {
  /** Hosts (ALERT_ALLOWED_HOSTS) a target may have even when they resolve to a loopback, private or link-local address. */
  allowedHosts: readonly string[];
  timeoutMs: number;
  feed: InAppFeed;
  /** INFLIGHT_ENVIRONMENT, for the Test button's message (real ones carry it in the notification). */
  environment?: string | null;
}

/** A rendered HTTP request (what send would post), for previews and tests; null for in-app. */
export interface RenderedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * One channel: every channel module exports one of these, with the same functions. Its config is
 * validated by `config` (a zod schema: readable messages), shown to the browser only through
 * `redact` (secrets never leave the server), and `test` sends a message marked as a test.
 */
export interface Notifier<C> {
  type: ChannelType;
  label: string;
  config: z.ZodType<C>;
  /** The config as the browser may see it: secrets replaced by a hint (e.g. "whsec_…a1b2"). */
  redact(config: C): Record<string, string | null>;
  /** The request send would make now (a webhook signs it at this instant). */
  render(n: AlertNotification, config: C, nowMs?: number): RenderedRequest | null;
  send(n: AlertNotification, config: C, ctx: SendContext): Promise<SendResult>;
  /**
   * A channel people read (Slack) takes several alerts of one rule that came due together as one
   * message, so a proxy-wide fault is one message, not one per key. Absent: one message each.
   */
  sendGroup?(ns: AlertNotification[], config: C, ctx: SendContext): Promise<SendResult>;
  test(config: C, ctx: SendContext): Promise<SendResult>;
}
