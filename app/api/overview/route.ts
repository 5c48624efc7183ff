import { OverviewQuerySchema } from "@/lib/api/keys";
import { overview } from "@/lib/overview/overview";
import { app } from "@/lib/server/app";
import { handle } from "../_lib/handle";
import { queryObject } from "../_lib/query";

export const GET = handle(async (req: Request) => {
  const q = OverviewQuerySchema.parse(queryObject(req));
  return overview((await app()).store, q.from, q.to);
});
