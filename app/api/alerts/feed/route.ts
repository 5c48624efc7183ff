import { withAccess } from "../../_lib/handle";

const FEED_SIZE = 30;

/** The bell: the newest in-app notifications this caller may see, and how many are unread. */
export const GET = withAccess("viewer", async (_req, { app, principal }) => {
  const reader = `${principal.kind}:${principal.id}`;
  const [items, unread] = await Promise.all([app.store.alerts.listFeed(principal.teams, FEED_SIZE), app.store.alerts.unreadCount(reader, principal.teams)]);
  return {
    items: items.map((i) => ({ id: i.id, alertId: i.alertId, notification: i.notification, createdAtMs: i.createdAtMs })),
    unread,
    environment: app.config.INFLIGHT_ENVIRONMENT ?? null,
  };
});
