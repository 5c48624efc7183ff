import { serverConfig } from "@/lib/config/env";
import { overview, OverviewQuerySchema } from "@/lib/overview/overview";
import { appSqlite } from "@/lib/store/app-sqlite";
import { handle } from "../_lib/handle";
import { queryObject } from "../_lib/query";

export const GET = handle(async (req: Request) => {
  const q = OverviewQuerySchema.parse(queryObject(req));
  return overview(appSqlite(), serverConfig().INGEST_MAX_REQUEST_S * 1000, q.from, q.to);
});
