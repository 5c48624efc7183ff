import type { ChannelView } from "../api/alerts";
import { NOTIFIERS } from "./channels/index";
import type { AlertChannel } from "./repository";

/** A channel as the browser may see it: its config redacted by its own notifier (an env channel's from the environment). */
export function channelView(c: AlertChannel, envConfigs: ReadonlyMap<string, Record<string, unknown>>): ChannelView {
  const config = c.source === "env" ? envConfigs.get(c.id) : c.config;
  const { config: _secret, ...rest } = c;
  return { ...rest, config: config && c.type !== "in-app" ? NOTIFIERS[c.type].redact(config as never) : {} };
}
