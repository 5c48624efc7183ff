import { AlertListQuerySchema } from "@/lib/api/alerts";
import { withAccess } from "../_lib/handle";
import { queryObject } from "../_lib/query";

/** Alerts, newest first, filtered; a team-limited viewer sees only its teams' keys. */
export const GET = withAccess("viewer", async (req, { app, principal }) => {
  const q = AlertListQuerySchema.parse(queryObject(req));
  const key = q.key ? await app.store.catalog.keyByHash(q.key) : null;
  if (q.key && !key) return { alerts: [], environment: app.config.INFLIGHT_ENVIRONMENT ?? null };
  const alerts = await app.store.alerts.listAlerts({ state: q.state, keyId: key?.id, ruleId: q.rule, beforeCreatedAtMs: q.before, teams: principal.teams, limit: q.limit });
  return { alerts, environment: app.config.INFLIGHT_ENVIRONMENT ?? null };
});
