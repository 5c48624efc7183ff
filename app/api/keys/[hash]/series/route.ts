import { keySeries, readCursorCompleteBefore, SeriesQuerySchema } from "@/lib/series/key-series";
import { appSqlite } from "@/lib/store/app-sqlite";
import { handle } from "../../../_lib/handle";
import { keyFromParams } from "../../../_lib/key-queries";
import { queryObject } from "../../../_lib/query";

export const GET = handle(async (req: Request, ctx: { params: Promise<{ hash: string }> }) => {
  const query = SeriesQuerySchema.parse(queryObject(req));
  const { q, key } = await keyFromParams(ctx.params);
  return keySeries(q, key, query, readCursorCompleteBefore(appSqlite()));
});
