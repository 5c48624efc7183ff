import { BurstStartSchema, type BurstRunListItem } from "@/lib/api/bursts";
import { runListItem } from "@/lib/burst/view";
import { burstService } from "../../../_lib/burst-run";
import { withAccess } from "../../../_lib/handle";
import { keyFromParams } from "../../../_lib/key-from-params";
import { readJson } from "../../../_lib/read-json";

type Ctx = { params: Promise<{ hash: string }> };

/** The key's burst tests, newest first. */
export const GET = withAccess("viewer", async (_req, { app, principal }, ctx: Ctx): Promise<{ runs: BurstRunListItem[] }> => {
  const key = await keyFromParams(app, ctx.params, principal);
  return { runs: (await app.store.bursts.listForKey(key.hash, 50)).map(runListItem) };
});

/** Starts a burst test on the key (admins): its id at once, the run goes on in the background. */
export const POST = withAccess("admin", async (req, { app, principal }, ctx: Ctx) => {
  const key = await keyFromParams(app, ctx.params, principal);
  const ask = BurstStartSchema.parse(await readJson(req));
  return Response.json(await burstService(app).start(principal, key, ask), { status: 202 });
});
