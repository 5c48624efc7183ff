import { SeriesQuerySchema } from "@/lib/api/keys";
import { readKeySeries } from "@/lib/series/key-series";
import { app } from "@/lib/server/app";
import { handle } from "../../../_lib/handle";
import { keyFromParams } from "../../../_lib/key-from-params";
import { queryObject } from "../../../_lib/query";

export const GET = handle(async (req: Request, ctx: { params: Promise<{ hash: string }> }) => {
  const query = SeriesQuerySchema.parse(queryObject(req));
  const a = await app();
  return readKeySeries(a.store, await keyFromParams(a, ctx.params), query);
});
