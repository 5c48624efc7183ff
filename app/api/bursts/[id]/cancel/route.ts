import { ApiError } from "@/lib/http/api-error";
import { burstRunFromParams, burstService } from "../../../_lib/burst-run";
import { withAccess } from "../../../_lib/handle";

type Ctx = { params: Promise<{ id: string }> };

/** Cancels a running burst test (admins): every request is aborted and the run still cleans up. */
export const POST = withAccess("admin", async (_req, { app, principal }, ctx: Ctx) => {
  const run = await burstRunFromParams(app, ctx.params, principal);
  if (!(await burstService(app).cancel(run.id))) throw new ApiError(409, "conflict", `This burst test is not running any more (${run.state})`);
  return { cancelled: true };
});
