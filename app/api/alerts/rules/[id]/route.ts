import { RuleInputSchema } from "@/lib/api/alerts";
import { deleteRule, updateRule } from "@/lib/alerts/manage";
import { alertingDeps, type IdParams } from "../../../_lib/alerting";
import { withAccess } from "../../../_lib/handle";
import { readJson } from "../../../_lib/read-json";

/** Replaces a rule's settings (a built-in rule keeps its detector). */
export const PUT = withAccess("admin", async (req, access, ctx: IdParams) =>
  updateRule(alertingDeps(access), (await ctx.params).id, RuleInputSchema.parse(await readJson(req))),
);

export const DELETE = withAccess("admin", async (_req, access, ctx: IdParams) => {
  await deleteRule(alertingDeps(access), (await ctx.params).id);
  return { ok: true };
});
