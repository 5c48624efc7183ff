import { prometheusRules } from "@/lib/alerts/prometheus";
import { withAccess } from "../../_lib/handle";

/** The enabled alert rules as a Prometheus alerting-rules file over Inflight's /metrics. */
export const GET = withAccess("viewer", async (_req, { app }) => {
  const body = prometheusRules(await app.store.alerts.listRules(), app.config.INFLIGHT_ENVIRONMENT ?? null);
  return new Response(body, { headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": 'attachment; filename="inflight-rules.yml"', "cache-control": "no-store" } });
});
