import { Webhook } from "standardwebhooks";
import { z } from "zod";
import type { AlertNotification } from "../types";
import type { Notifier, RenderedRequest } from "./channel";
import { httpUrlField, lastFour, originOnly } from "./config-fields";
import { post } from "./http-post";
import { testNotification } from "./test-notification";

const SECRET_PREFIX = "whsec_";
/** Standard Webhooks: a symmetric secret is "random, between 24 bytes (192 bits) and 64 bytes (512 bits)". */
const SECRET_BYTES = { min: 24, max: 64 };
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const secretField = z
  .string({ error: "The signing secret is required" })
  .trim()
  .refine((s) => s.startsWith(SECRET_PREFIX) && s.length > SECRET_PREFIX.length && BASE64.test(s.slice(SECRET_PREFIX.length)), {
    error: "The signing secret must be whsec_ followed by base64 (a Standard Webhooks secret)",
    abort: true,
  })
  .refine((s) => {
    const bytes = Buffer.from(s.slice(SECRET_PREFIX.length), "base64").length;
    return bytes >= SECRET_BYTES.min && bytes <= SECRET_BYTES.max;
  }, `The signing secret must decode to ${SECRET_BYTES.min} to ${SECRET_BYTES.max} bytes (Standard Webhooks)`);

export const WebhookConfigSchema = z.object({
  url: httpUrlField("The webhook URL", "https://example.com/hooks/inflight"),
  secret: secretField,
});
export type WebhookConfig = z.infer<typeof WebhookConfigSchema>;

/** The JSON a webhook receives: flat, in the spirit of LiteLLM's own alert webhook. */
export function webhookBody(n: AlertNotification) {
  return {
    event: n.event,
    alert_id: n.alertId,
    key_hash: n.keyHash,
    key_alias: n.keyAlias,
    team_id: n.teamId,
    limit: n.limit,
    peak: n.peak,
    started_at: n.startedAt,
    ended_at: n.endedAt,
    url: n.url,
    environment: n.environment,
    summary: n.summary,
    rule: n.ruleName,
    /** firing, repeat (still firing), resolved or past: `event` alone does not tell a repeat from the first message. */
    phase: n.phase,
    test: n.test === true,
  };
}

/**
 * Signed per Standard Webhooks: `webhook-id` is the notification's id, the same on every retry, so
 * a receiver drops a message it has already handled; the timestamp and signature are of the attempt.
 */
function render(n: AlertNotification, config: WebhookConfig, nowMs = Date.now()): RenderedRequest {
  const body = JSON.stringify(webhookBody(n));
  return {
    url: config.url,
    headers: {
      "content-type": "application/json",
      "webhook-id": n.id,
      "webhook-timestamp": String(Math.floor(nowMs / 1000)),
      "webhook-signature": new Webhook(config.secret).sign(n.id, new Date(nowMs), body),
    },
    body,
  };
}

export const webhookNotifier: Notifier<WebhookConfig> = {
  type: "webhook",
  label: "Webhook",
  config: WebhookConfigSchema,
  redact: (c) => ({ url: originOnly(c.url), secret: `${SECRET_PREFIX}${lastFour(c.secret)}` }),
  render,
  send: (n, config, ctx) => post(render(n, config), ctx),
  test: (config, ctx) => webhookNotifier.send(testNotification({ environment: ctx.environment }), config, ctx),
};
