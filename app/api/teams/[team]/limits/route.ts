import { withAccess } from "../../../_lib/handle";
import { teamEdit } from "./team-edit";
import { applyTeamLimits } from "@/lib/limits/team-limits";

type Ctx = { params: Promise<{ team: string }> };

/** Applies one change to every key of the team, key by key, each audited (admins only). */
export const POST = withAccess("admin", async (req, { app, principal }, ctx: Ctx) => {
  const { team, edit, litellm } = await teamEdit(req, app, ctx.params);
  return applyTeamLimits({ store: app.store, litellm }, principal, team, edit);
});
