import { canSeeTeam } from "@/lib/accounts/roles";
import { BurstStartSchema } from "@/lib/api/bursts";
import { ApiError } from "@/lib/http/api-error";
import { burstService } from "../_lib/burst-run";
import { withAccess } from "../_lib/handle";
import { readJson } from "../_lib/read-json";

/**
 * Starts a burst test on a key named by alias or hash (admins; `npm run burst` with INFLIGHT_URL and
 * INFLIGHT_TOKEN): its id at once.
 */
export const POST = withAccess("admin", async (req, { app, principal }) => {
  const ask = BurstStartSchema.parse(await readJson(req));
  if (!ask.key) throw new ApiError(422, "invalid_input", "key: name the key by its alias or its hash");
  const keys = (await app.store.catalog.listedKeys()).filter((k) => (k.hash === ask.key || k.alias === ask.key) && canSeeTeam(principal, k.teamId));
  if (keys.length === 0) throw new ApiError(404, "not_found", `No key "${ask.key}" is known (the catalog syncs every ${app.config.CATALOG_SYNC_INTERVAL_S} s)`);
  if (keys.length > 1) throw new ApiError(422, "invalid_input", `${keys.length} keys have alias "${ask.key}": name one by its hash`);
  return Response.json(await burstService(app).start(principal, keys[0], ask), { status: 202 });
});
