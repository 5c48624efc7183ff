import type { Access } from "./handle";

/** What the admin verbs of lib/alerts/manage.ts need from a route's access. */
export function alertingDeps({ app, principal }: Access) {
  return { alerts: app.store.alerts, audit: app.store.audit, actor: principal, allowedHosts: app.config.ALERT_ALLOWED_HOSTS };
}

/** A dynamic route's `[id]`. */
export type IdParams = { params: Promise<{ id: string }> };
