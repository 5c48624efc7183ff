import { resendNotification } from "@/lib/alerts/manage";
import { alertingDeps, type IdParams } from "../../../../_lib/alerting";
import { withAccess } from "../../../../_lib/handle";

/** Queues a notification again (a failed one, or a sent one a receiver lost). */
export const POST = withAccess("admin", async (_req, access, ctx: IdParams) => {
  await resendNotification(alertingDeps(access), (await ctx.params).id);
  return { ok: true };
});
