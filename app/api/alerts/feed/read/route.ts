import { FeedReadSchema } from "@/lib/api/alerts";
import { withAccess } from "../../../_lib/handle";
import { readJson } from "../../../_lib/read-json";

/** Marks the feed read up to an item (the newest the bell showed). */
export const POST = withAccess("viewer", async (req, { app, principal }) => {
  const { toId } = FeedReadSchema.parse(await readJson(req));
  await app.store.alerts.markFeedRead(`${principal.kind}:${principal.id}`, toId);
  return { ok: true };
});
