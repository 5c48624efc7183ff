import { z } from "zod";
import type { AlertNotification, Detector, SendResult } from "../types";
import type { Notifier, RenderedRequest } from "./channel";
import { httpUrlField, lastFour } from "./config-fields";
import { post } from "./http-post";
import { testNotification } from "./test-notification";
import { chartUrl, headline } from "./wording";

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";
/** PagerDuty's limit on `payload.summary`. */
const SUMMARY_MAX = 1024;

/** PagerDuty severities: critical and error page at high urgency, warning at low (with dynamic notifications). */
const SEVERITY: Record<Detector, "critical" | "error" | "warning"> = {
  exceeded: "critical",
  multiplied: "critical",
  stuck: "error",
  drift: "warning",
};

export const PagerDutyConfigSchema = z.object({
  // A service's Events API v2 integration key is 32 characters, but PagerDuty does not promise that
  // of every key (ruleset and orchestration keys, future formats) and answers a wrong one with a
  // readable 400 anyway. So: any 20-64 URL-safe characters, which still refuses a pasted URL, a
  // sentence or stray whitespace.
  routingKey: z
    .string({ error: "The routing key is required" })
    .trim()
    .regex(/^[A-Za-z0-9_-]{20,64}$/, "The routing key must be 20 to 64 letters, digits, - or _ (PagerDuty's Integration Key, usually 32 characters)"),
  url: httpUrlField("The PagerDuty Events API URL", PAGERDUTY_EVENTS_URL).default(PAGERDUTY_EVENTS_URL),
});
export type PagerDutyConfig = z.infer<typeof PagerDutyConfigSchema>;

/**
 * The Events API v2 event for a notification, or null when PagerDuty gets none: firing and repeat
 * trigger (a repeat lands on the open alert, same `dedup_key`), resolved resolves. A past episode
 * sends nothing: an alert event opens an incident that notifies whoever is on call, and `info`
 * only lowers the urgency on services set to "dynamic notifications based on alert severity";
 * elsewhere it pages like any other, for something already over, and stays open with nobody to
 * resolve it. The other channels still tell of it.
 */
export function pagerDutyEvent(n: AlertNotification, routingKey: string) {
  if (n.phase === "past") return null;
  if (n.phase === "resolved") return { routing_key: routingKey, dedup_key: n.alertId, event_action: "resolve" as const };
  const link = chartUrl(n);
  return {
    routing_key: routingKey,
    event_action: "trigger" as const,
    dedup_key: n.alertId,
    payload: {
      summary: `${headline(n)}: ${n.summary}`.slice(0, SUMMARY_MAX),
      source: n.environment ? `inflight:${n.environment}` : "inflight",
      // A test says "info": low urgency where the service lets severity choose.
      severity: n.test ? ("info" as const) : SEVERITY[n.detector],
      timestamp: n.startedAt,
      component: n.keyAlias ?? n.keyHash,
      ...(n.teamId ? { group: n.teamId } : {}),
      class: n.detector,
      custom_details: {
        key_hash: n.keyHash,
        limit: n.limit,
        peak: n.peak,
        started_at: n.startedAt,
        ended_at: n.endedAt,
        environment: n.environment,
        rule: n.ruleName,
      },
    },
    ...(link ? { links: [{ href: link, text: "Chart in Inflight" }] } : {}),
    client: "Inflight",
    ...(link ? { client_url: new URL(link).origin } : {}),
  };
}

function render(n: AlertNotification, config: PagerDutyConfig): RenderedRequest | null {
  const event = pagerDutyEvent(n, config.routingKey);
  return event && { url: config.url, headers: { "content-type": "application/json" }, body: JSON.stringify(event) };
}

/** Nothing to send (a past episode): done, as far as the outbox is concerned. */
const SKIPPED: SendResult = { ok: true, status: null, latencyMs: 0, error: null, retryAfterMs: null, permanent: false };

export const pagerDutyNotifier: Notifier<PagerDutyConfig> = {
  type: "pagerduty",
  label: "PagerDuty",
  config: PagerDutyConfigSchema,
  redact: (c) => ({ routingKey: lastFour(c.routingKey), url: c.url }),
  render,
  send: async (n, config, ctx) => {
    const request = render(n, config);
    return request ? post(request, ctx, [config.routingKey]) : SKIPPED;
  },
  // Trigger, then resolve the same alert: the test proves both actions and leaves no incident open.
  test: async (config, ctx) => {
    const fired = testNotification({ phase: "firing", environment: ctx.environment });
    const triggered = await pagerDutyNotifier.send(fired, config, ctx);
    if (!triggered.ok) return triggered;
    const resolved = await pagerDutyNotifier.send(testNotification({ phase: "resolved", alertId: fired.alertId, environment: ctx.environment }), config, ctx);
    return { ...resolved, latencyMs: triggered.latencyMs + resolved.latencyMs };
  },
};
