import { SeriesQuerySchema } from "@/lib/api/keys";
import { readKeySeries } from "@/lib/series/key-series";
import { withAccess } from "../../../_lib/handle";
import { keyFromParams } from "../../../_lib/key-from-params";
import { queryObject } from "../../../_lib/query";

type Ctx = { params: Promise<{ hash: string }> };

export const GET = withAccess("viewer", async (req, { app, principal }, ctx: Ctx) => {
  const query = SeriesQuerySchema.parse(queryObject(req));
  return readKeySeries(app.store, await keyFromParams(app, ctx.params, principal), query);
});
