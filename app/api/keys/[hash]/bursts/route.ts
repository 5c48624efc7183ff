import { BurstStartSchema, type KeyBurstsView } from "@/lib/api/bursts";
import { defaultRequests } from "@/lib/burst/run";
import { runListItem } from "@/lib/burst/view";
import { burstService } from "../../../_lib/burst-run";
import { withAccess } from "../../../_lib/handle";
import { keyFromParams } from "../../../_lib/key-from-params";
import { readJson } from "../../../_lib/read-json";

type Ctx = { params: Promise<{ hash: string }> };

/** The key's burst tests, newest first, and whether this caller may start one. */
export const GET = withAccess("viewer", async (_req, { app, principal }, ctx: Ctx): Promise<KeyBurstsView> => {
  const key = await keyFromParams(app, ctx.params, principal);
  const limit = key.maxParallelRequests;
  return {
    runs: (await app.store.bursts.listForKey(key.hash, 50)).map(runListItem),
    startBlockedBy:
      principal.role !== "admin"
        ? "Only admins run burst tests."
        : (app.writesDisabled ?? (limit === null ? "This key has no max_parallel_requests: there is no limit to test." : null)),
    limit,
    teamId: key.teamId,
    defaultN: limit === null ? null : defaultRequests(limit),
  };
});

/** Starts a burst test on the key (admins): its id at once, the run goes on in the background. */
export const POST = withAccess("admin", async (req, { app, principal }, ctx: Ctx) => {
  const key = await keyFromParams(app, ctx.params, principal);
  const ask = BurstStartSchema.parse(await readJson(req));
  return Response.json(await burstService(app).start(principal, key, ask), { status: 202 });
});
