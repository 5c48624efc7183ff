import { RuleInputSchema } from "@/lib/api/alerts";
import { createRule } from "@/lib/alerts/manage";
import { alertingDeps, scopeFields, visibleToCaller } from "../../_lib/alerting";
import { withAccess } from "../../_lib/handle";
import { readJson } from "../../_lib/read-json";

/** The rules; a team-limited viewer sees those for every key and those of its teams' keys. */
export const GET = withAccess("viewer", async (_req, access) => {
  const visible = await visibleToCaller(access);
  return { rules: (await access.app.store.alerts.listRules()).filter((r) => visible(scopeFields(r.scope))) };
});

export const POST = withAccess("admin", async (req, access) => createRule(alertingDeps(access), RuleInputSchema.parse(await readJson(req))));
