import { z } from "zod";
import { utcStamp } from "../../view/format/time";
import type { AlertNotification, Phase } from "../types";
import type { Notifier, RenderedRequest } from "./channel";
import { httpUrlField, lastFour } from "./config-fields";
import { isAllowedHost, post, refused } from "./http-post";
import { testNotification } from "./test-notification";
import { chartUrl, headline, keyWithHash, peakAgainstLimit, period } from "./wording";

const SLACK_HOST = "hooks.slack.com";
/** Block Kit limits: a header's text, a section's text. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;

const EMOJI: Record<Phase, string> = {
  firing: ":rotating_light:",
  repeat: ":rotating_light:",
  resolved: ":white_check_mark:",
  past: ":hourglass:",
};

/**
 * The shape only. Where the URL may point depends on ALERT_ALLOWED_HOSTS, which a static schema
 * cannot know: `slackTargetProblem` says it, at send and in `validateChannelConfig` (index.ts).
 */
export const SlackConfigSchema = z.object({
  webhookUrl: httpUrlField("The Slack webhook URL", "https://hooks.slack.com/services/T…/B…/…"),
});
export type SlackConfig = z.infer<typeof SlackConfigSchema>;

/**
 * Why Inflight will not post to this Slack webhook URL, or null when it will. Slack's incoming
 * webhooks are https://hooks.slack.com/…; another host (a Slack-compatible receiver such as
 * Mattermost, a local test receiver) must be listed in ALERT_ALLOWED_HOSTS, which also lets it be
 * plain http. Names the host only: the path is the secret.
 */
export function slackTargetProblem(webhookUrl: string, allowedHosts: readonly string[]): string | null {
  if (!URL.canParse(webhookUrl)) return "The Slack webhook URL is not a valid URL";
  const { protocol, hostname } = new URL(webhookUrl);
  if (isAllowedHost(hostname, allowedHosts) || (protocol === "https:" && hostname === SLACK_HOST)) return null;
  return `A Slack webhook URL must start with https://${SLACK_HOST}/; list ${hostname} in ALERT_ALLOWED_HOSTS to post there instead`;
}

/** Slack's mrkdwn gives &, < and > a meaning: text from elsewhere (an alias, a summary) is escaped. */
function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Shown in each reader's own time zone; the fallback after `|` is UTC. */
function slackDate(iso: string): string {
  return `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time_secs}|${utcStamp(iso)}>`;
}

function field(title: string, value: string) {
  return { type: "mrkdwn", text: `*${title}*\n${value}` };
}

/** Block Kit for the message, and `text`: the same facts in one line, for notifications and old clients. */
export function slackBody(n: AlertNotification) {
  const link = chartUrl(n);
  const peak = peakAgainstLimit(n);
  const fields = [
    field("Key", escape(keyWithHash(n))),
    field("In flight", escape(peak.charAt(0).toUpperCase() + peak.slice(1))),
    field("Since", slackDate(n.startedAt)),
    ...(n.endedAt ? [field("Until", slackDate(n.endedAt))] : []),
    ...(n.environment ? [field("Environment", escape(n.environment))] : []),
    field("Rule", escape(n.ruleName)),
  ];
  const blocks = [
    { type: "header", text: { type: "plain_text", text: truncate(`${n.test ? ":test_tube:" : EMOJI[n.phase]} ${headline(n)}`, HEADER_MAX), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: truncate(escape(n.summary), SECTION_MAX) } },
    { type: "section", fields },
    ...(link ? [{ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open the chart in Inflight" }, url: link }] }] : []),
  ];
  const facts = `${headline(n)}: ${peak}, ${period(n)}. Key ${keyWithHash(n)}. ${n.summary}`;
  return { text: `${escape(facts)}${link ? ` <${link}|Open the chart>` : ""}`, blocks };
}

/** Alerts of one group shown in full; the rest are counted. Block Kit allows 50 blocks a message. */
const GROUP_SHOWN = 20;

/** One message for several alerts of one rule: a line each (what, key, peak, when, chart), the first GROUP_SHOWN of them. */
export function slackGroupBody(ns: AlertNotification[]) {
  const first = ns[0];
  const environment = first.environment ? `[${first.environment}] ` : "";
  const title = `${environment}${ns.length} alerts: ${first.ruleName}`;
  const line = (n: AlertNotification) => {
    const link = chartUrl(n);
    return `${EMOJI[n.phase]} *${escape(headline({ ...n, environment: null }))}*\n${escape(`${peakAgainstLimit(n)}, ${period(n)}`)}${link ? ` · <${link}|chart>` : ""}`;
  };
  const shown = ns.slice(0, GROUP_SHOWN);
  const blocks = [
    { type: "header", text: { type: "plain_text", text: truncate(`${EMOJI[first.phase]} ${title}`, HEADER_MAX), emoji: true } },
    ...shown.map((n) => ({ type: "section", text: { type: "mrkdwn", text: truncate(line(n), SECTION_MAX) } })),
    ...(ns.length > shown.length ? [{ type: "context", elements: [{ type: "mrkdwn", text: `…and ${ns.length - shown.length} more: see the Alerts page in Inflight` }] }] : []),
  ];
  const text = `${title}: ${ns.map((n) => `${headline({ ...n, environment: null })} (${peakAgainstLimit(n)})`).join("; ")}`;
  return { text: escape(truncate(text, SECTION_MAX)), blocks };
}

function render(n: AlertNotification, config: SlackConfig): RenderedRequest {
  return { url: config.webhookUrl, headers: { "content-type": "application/json" }, body: JSON.stringify(slackBody(n)) };
}

export const slackNotifier: Notifier<SlackConfig> = {
  type: "slack",
  label: "Slack",
  config: SlackConfigSchema,
  redact: (c) => {
    const u = new URL(c.webhookUrl);
    return { webhookUrl: `${u.host}/${lastFour(u.pathname)}` };
  },
  render,
  send: async (n, config, ctx) => {
    const problem = slackTargetProblem(config.webhookUrl, ctx.allowedHosts);
    return problem ? refused(problem) : post(render(n, config), ctx);
  },
  sendGroup: async (ns, config, ctx) => {
    const problem = slackTargetProblem(config.webhookUrl, ctx.allowedHosts);
    return problem ? refused(problem) : post({ url: config.webhookUrl, headers: { "content-type": "application/json" }, body: JSON.stringify(slackGroupBody(ns)) }, ctx);
  },
  test: (config, ctx) => slackNotifier.send(testNotification({ environment: ctx.environment }), config, ctx),
};
