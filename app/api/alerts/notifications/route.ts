import { z } from "zod";
import { withAccess } from "../../_lib/handle";
import { queryObject } from "../../_lib/query";

const QuerySchema = z.object({
  channel: z.string().max(100).optional(),
  status: z.enum(["pending", "sent", "failed"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Deliveries, newest first (the channels page's history; failed ones can be resent). */
export const GET = withAccess("admin", async (req, { app }) => {
  const q = QuerySchema.parse(queryObject(req));
  return { notifications: await app.store.alerts.listNotifications({ channelId: q.channel, status: q.status, limit: q.limit }) };
});
