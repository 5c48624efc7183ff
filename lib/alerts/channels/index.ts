import type { ChannelType, Notifier } from "./channel";
import { type InAppConfig, inAppNotifier } from "./in-app";
import { type PagerDutyConfig, pagerDutyNotifier } from "./pagerduty";
import { type SlackConfig, slackNotifier, slackTargetProblem } from "./slack";
import { type WebhookConfig, webhookNotifier } from "./webhook";

/** Each channel type's config, as its schema parses it. */
export interface ChannelConfigs {
  "in-app": InAppConfig;
  slack: SlackConfig;
  pagerduty: PagerDutyConfig;
  webhook: WebhookConfig;
}

export const NOTIFIERS: { [T in ChannelType]: Notifier<ChannelConfigs[T]> } = {
  "in-app": inAppNotifier,
  slack: slackNotifier,
  pagerduty: pagerDutyNotifier,
  webhook: webhookNotifier,
};

/** Checks that need the operator's ALERT_ALLOWED_HOSTS, which a static schema cannot know. */
const TARGET_CHECKS: { [T in ChannelType]?: (config: ChannelConfigs[T], allowedHosts: readonly string[]) => string | null } = {
  slack: (c, allowedHosts) => slackTargetProblem(c.webhookUrl, allowedHosts),
};

export type ConfigCheck<T extends ChannelType> = { ok: true; config: ChannelConfigs[T] } | { ok: false; errors: string[] };

/**
 * A channel's config as the channels API receives it, checked: the parsed config, or readable
 * messages ("url: The webhook URL must start with http:// or https://"), none quoting a value.
 */
export function validateChannelConfig<T extends ChannelType>(type: T, input: unknown, allowedHosts: readonly string[]): ConfigCheck<T> {
  const parsed = NOTIFIERS[type].config.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`) };
  const problem = TARGET_CHECKS[type]?.(parsed.data, allowedHosts);
  return problem ? { ok: false, errors: [problem] } : { ok: true, config: parsed.data };
}
