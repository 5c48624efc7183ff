import { ChannelUpdateSchema } from "@/lib/api/alerts";
import { channelView } from "@/lib/alerts/channel-view";
import { deleteChannel, updateChannel } from "@/lib/alerts/manage";
import { alertingDeps, type IdParams } from "../../../_lib/alerting";
import { envConfigsOf } from "@/lib/alerts/env-channels";
import { withAccess } from "../../../_lib/handle";
import { readJson } from "../../../_lib/read-json";

/** Edits a channel: config fields left out keep their stored value (secrets are never sent back). */
export const PATCH = withAccess("admin", async (req, access, ctx: IdParams) => {
  const env = envConfigsOf(access.app.fixedChannels);
  return channelView(await updateChannel(alertingDeps(access), (await ctx.params).id, ChannelUpdateSchema.parse(await readJson(req))), env);
});

export const DELETE = withAccess("admin", async (_req, access, ctx: IdParams) => {
  await deleteChannel(alertingDeps(access), (await ctx.params).id);
  return { ok: true };
});
