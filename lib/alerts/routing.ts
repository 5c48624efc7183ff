import type { KeyRef } from "../catalog/repository";
import type { AlertChannel } from "./repository";

/**
 * The channels an alert of this key goes to: every enabled channel without a team (the in-app
 * feed, those configured by the environment, and any made for all teams) and those of the key's
 * team. A paused channel still gets its notifications queued: they go out once it is resumed.
 */
export function routeChannels(channels: AlertChannel[], key: Pick<KeyRef, "teamId">): AlertChannel[] {
  return channels.filter((c) => c.enabled && (c.teamId === null || c.teamId === key.teamId));
}
