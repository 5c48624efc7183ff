import { OverviewQuerySchema } from "@/lib/api/keys";
import { overview } from "@/lib/overview/overview";
import { readLive } from "@/lib/tracker/live";
import { withAccess } from "../_lib/handle";
import { queryObject } from "../_lib/query";

/** Every key the caller may see over the range, worst first; "in flight now" live when a tracker writes. */
export const GET = withAccess("viewer", async (req, { app, principal }) => {
  const q = OverviewQuerySchema.parse(queryObject(req));
  const tracker = app.tracker;
  const live = tracker ? (hashes: string[]) => readLive(tracker.redis, hashes, app.config.INFLIGHT_TRACKER_MAX_AGE_S * 1000).catch(() => null) : undefined;
  return overview(app.store, q.from, q.to, principal.teams, live);
});
