import { RuleInputSchema } from "@/lib/api/alerts";
import { createRule } from "@/lib/alerts/manage";
import { alertingDeps } from "../../_lib/alerting";
import { withAccess } from "../../_lib/handle";
import { readJson } from "../../_lib/read-json";

export const GET = withAccess("viewer", async (_req, { app }) => ({ rules: await app.store.alerts.listRules() }));

export const POST = withAccess("admin", async (req, access) => createRule(alertingDeps(access), RuleInputSchema.parse(await readJson(req))));
