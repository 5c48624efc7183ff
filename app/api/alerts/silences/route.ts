import { SilenceInputSchema } from "@/lib/api/alerts";
import { addSilence } from "@/lib/alerts/manage";
import { alertingDeps, visibleToCaller } from "../../_lib/alerting";
import { withAccess } from "../../_lib/handle";
import { readJson } from "../../_lib/read-json";

/** Silences still in force; a team-limited viewer sees those of its teams' keys and those naming neither. */
export const GET = withAccess("viewer", async (_req, access) => {
  const visible = await visibleToCaller(access);
  return { silences: (await access.app.store.alerts.listSilences(Date.now())).filter(visible) };
});

export const POST = withAccess("admin", async (req, access) => addSilence(alertingDeps(access), SilenceInputSchema.parse(await readJson(req))));
