import { canSeeTeam } from "@/lib/accounts/roles";
import { summarize } from "@/lib/alerts/message";
import { ApiError } from "@/lib/http/api-error";
import type { IdParams } from "../../_lib/alerting";
import { withAccess } from "../../_lib/handle";

/** One alert with its evidence, and every notification of it with each delivery attempt. */
export const GET = withAccess("viewer", async (_req, { app, principal }, ctx: IdParams) => {
  const alert = await app.store.alerts.getAlert((await ctx.params).id);
  if (!alert || !canSeeTeam(principal, alert.teamId)) throw new ApiError(404, "not_found", "No alert with this id");
  const [notifications, channels] = await Promise.all([app.store.alerts.notificationsOf(alert.id), app.store.alerts.listChannels()]);
  const names = new Map(channels.map((c) => [c.id, c.name]));
  const phase = alert.state === "resolved" ? (alert.announced === "live" ? "resolved" : "past") : alert.announced === "past" ? "past" : "firing";
  return {
    alert,
    summary: alert.detector ? summarize(alert.detector, phase, { alias: alert.keyAlias, hash: alert.keyHash }, alert) : "The rule of this alert has been removed since.",
    notifications: await Promise.all(
      notifications.map(async (n) => ({ ...n, channelName: names.get(n.channelId) ?? "(removed channel)", attempts: await app.store.alerts.attemptsOf(n.id) })),
    ),
  };
});
