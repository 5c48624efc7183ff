import { ChannelCreateSchema } from "@/lib/api/alerts";
import { channelView } from "@/lib/alerts/channel-view";
import { createChannel } from "@/lib/alerts/manage";
import { alertingDeps } from "../../_lib/alerting";
import { envConfigsOf } from "@/lib/alerts/env-channels";
import { withAccess } from "../../_lib/handle";
import { readJson } from "../../_lib/read-json";

/** The channels, secrets redacted; environment channels show what their settings configure. */
export const GET = withAccess("admin", async (_req, { app }) => {
  const env = envConfigsOf(app.fixedChannels);
  return { channels: (await app.store.alerts.listChannels()).map((c) => channelView(c, env)), allowedHosts: app.config.ALERT_ALLOWED_HOSTS };
});

export const POST = withAccess("admin", async (req, access) => {
  const env = envConfigsOf(access.app.fixedChannels);
  return channelView(await createChannel(alertingDeps(access), ChannelCreateSchema.parse(await readJson(req))), env);
});
