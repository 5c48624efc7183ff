import { previewTeamLimits } from "@/lib/limits/team-limits";
import { withAccess } from "../../../../_lib/handle";
import { teamEdit } from "../team-edit";

type Ctx = { params: Promise<{ team: string }> };

/** What a team-wide change would do, key by key; changes nothing (admins only: it reads every key from LiteLLM). */
export const POST = withAccess("admin", async (req, { app }, ctx: Ctx) => {
  const { team, edit, litellm } = await teamEdit(req, app, ctx.params);
  return previewTeamLimits({ store: app.store, litellm }, team, edit);
});
