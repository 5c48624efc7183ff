import { resumeChannel } from "@/lib/alerts/manage";
import { alertingDeps, type IdParams } from "../../../../_lib/alerting";
import { withAccess } from "../../../../_lib/handle";

/** Resumes a paused channel: what queued up meanwhile goes out. */
export const POST = withAccess("admin", async (_req, access, ctx: IdParams) => {
  await resumeChannel(alertingDeps(access), (await ctx.params).id);
  return { ok: true };
});
