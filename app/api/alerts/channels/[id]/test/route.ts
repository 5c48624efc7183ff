import { testChannel } from "@/lib/alerts/manage";
import { alertingDeps, type IdParams } from "../../../../_lib/alerting";
import { envConfigsOf } from "@/lib/alerts/env-channels";
import { withAccess } from "../../../../_lib/handle";

/** Sends the channel's test message now; the answer is how the receiver took it. */
export const POST = withAccess("admin", async (_req, access, ctx: IdParams) => {
  const env = envConfigsOf(access.app.fixedChannels);
  return testChannel(alertingDeps(access), (await ctx.params).id, env, access.app.config.ALERT_DELIVERY_TIMEOUT_MS, access.app.config.INFLIGHT_ENVIRONMENT ?? null);
});
