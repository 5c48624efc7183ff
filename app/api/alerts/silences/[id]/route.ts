import { removeSilence } from "@/lib/alerts/manage";
import { alertingDeps, type IdParams } from "../../../_lib/alerting";
import { withAccess } from "../../../_lib/handle";

/** Ends a silence now. */
export const DELETE = withAccess("admin", async (_req, access, ctx: IdParams) => {
  await removeSilence(alertingDeps(access), (await ctx.params).id);
  return { ok: true };
});
