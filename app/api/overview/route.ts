import { OverviewQuerySchema } from "@/lib/api/keys";
import { overview } from "@/lib/overview/overview";
import { withAccess } from "../_lib/handle";
import { queryObject } from "../_lib/query";

export const GET = withAccess("viewer", async (req, { app, principal }) => {
  const q = OverviewQuerySchema.parse(queryObject(req));
  return overview(app.store, q.from, q.to, principal.teams);
});
