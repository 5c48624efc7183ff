import { bearer, principalOf } from "@/lib/accounts/principal";
import { ApiError } from "@/lib/http/api-error";
import type { App } from "@/lib/server/app";

/**
 * /metrics and /api/health stay open to scrapers and load balancers, unless METRICS_TOKEN is set:
 * then they want that bearer token, or a session or API token that sees every team (the page's
 * health pill): /metrics names every key, which a team-limited viewer must not meet.
 */
export async function checkScraper(req: Request, a: App): Promise<void> {
  const want = a.config.METRICS_TOKEN;
  if (!want) return;
  if (bearer(req.headers) === want) return;
  const who = await principalOf(req.headers, { store: a.store, auth: a.auth }).catch(() => null);
  if (who && who.teams === null) return;
  throw new ApiError(401, "unauthenticated", "Send Authorization: Bearer <METRICS_TOKEN>");
}
