import { z } from "zod";

// The Alerts page's filters and the alert it shows, as they live in the URL
// (`?state=firing&key=<hash>&rule=<id>&alert=<id>`), so a link (the bell's, a key page's) opens the same view.

export const STATE_FILTERS = ["all", "open", "firing", "pending", "resolved"] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

export const STATE_FILTER_LABELS: Record<StateFilter, string> = {
  all: "all",
  open: "open (pending or firing)",
  firing: "firing",
  pending: "pending",
  resolved: "resolved",
};

export interface AlertFilters {
  state: StateFilter;
  /** A key's hash as typed: only a whole one (64 hex characters) filters. */
  key: string;
  /** A rule's id; empty: every rule. */
  rule: string;
  /** The alert whose detail is open. */
  alert: string | null;
}

export const DEFAULT_FILTERS: AlertFilters = { state: "all", key: "", rule: "", alert: null };

const UrlSchema = z.object({
  state: z.enum(STATE_FILTERS).catch("all"),
  key: z.string().max(200).catch(""),
  rule: z.string().max(100).catch(""),
  alert: z.string().max(100).nullable().catch(null),
});

/** Reads the filters from URL params; anything invalid falls back to its default. */
export function parseAlertFilters(params: Record<string, string | undefined>): AlertFilters {
  return UrlSchema.parse({ state: params.state ?? "all", key: params.key ?? "", rule: params.rule ?? "", alert: params.alert || null });
}

/** The URL params of the filters (the inverse of parseAlertFilters), defaults left out so links stay short. */
export function alertFilterParams(f: AlertFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.state !== "all") out.state = f.state;
  if (f.key) out.key = f.key;
  if (f.rule) out.rule = f.rule;
  if (f.alert) out.alert = f.alert;
  return out;
}

export const isKeyHash = (s: string) => /^[0-9a-f]{64}$/.test(s);

/** The GET /api/alerts query for these filters (a partly typed hash is left out: the API would refuse it). */
export function alertListQuery(f: AlertFilters, limit: number): string {
  const q = new URLSearchParams({ limit: String(limit) });
  if (f.state !== "all") q.set("state", f.state);
  if (isKeyHash(f.key)) q.set("key", f.key);
  if (f.rule) q.set("rule", f.rule);
  return q.toString();
}

/** Where the bell and a key's page link to: the Alerts page with this alert's detail open. */
export const alertHref = (alertId: string) => `/alerts?alert=${encodeURIComponent(alertId)}`;
