import { prometheusRules } from "@/lib/alerts/prometheus";
import { scopeFields, visibleToCaller } from "../../_lib/alerting";
import { withAccess } from "../../_lib/handle";

/** The enabled alert rules as a Prometheus alerting-rules file over Inflight's /metrics. */
export const GET = withAccess("viewer", async (_req, access) => {
  const { app } = access;
  const visible = await visibleToCaller(access);
  const body = prometheusRules((await app.store.alerts.listRules()).filter((r) => visible(scopeFields(r.scope))), app.config.INFLIGHT_ENVIRONMENT ?? null);
  return new Response(body, { headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": 'attachment; filename="inflight-rules.yml"', "cache-control": "no-store" } });
});
