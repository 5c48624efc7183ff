"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  AlertDetailSchema,
  AlertListSchema,
  ChannelListSchema,
  FeedSchema,
  NotificationListSchema,
  RuleListSchema,
  SilenceListSchema,
} from "@/lib/api/alerts";
import { fetchJson, sendJson } from "@/lib/view/fetch-json";

// Every alert read the pages make, with one query key each, so a write refreshes what it changed.

export const ALERT_KEYS = {
  feed: ["alerts", "feed"],
  list: ["alerts", "list"],
  detail: ["alerts", "detail"],
  rules: ["alerts", "rules"],
  channels: ["alerts", "channels"],
  deliveries: ["alerts", "deliveries"],
  silences: ["alerts", "silences"],
} as const;

/** The bell's feed: polled, so a new alert shows within seconds on any page. */
export function useFeed() {
  return useQuery({
    queryKey: ALERT_KEYS.feed,
    queryFn: ({ signal }) => fetchJson("/api/alerts/feed", FeedSchema, { signal }),
    refetchInterval: 10_000,
  });
}

/** Alerts for a GET /api/alerts query (see lib/view/alerts/list-state.ts). */
export function useAlerts(query: string, refetchMs = 10_000) {
  return useQuery({
    queryKey: [...ALERT_KEYS.list, query],
    queryFn: ({ signal }) => fetchJson(`/api/alerts?${query}`, AlertListSchema, { signal }),
    refetchInterval: refetchMs,
  });
}

export function useAlertDetail(id: string | null) {
  return useQuery({
    queryKey: [...ALERT_KEYS.detail, id],
    queryFn: ({ signal }) => fetchJson(`/api/alerts/${encodeURIComponent(id!)}`, AlertDetailSchema, { signal }),
    enabled: id !== null,
    refetchInterval: 10_000,
  });
}

export function useRules() {
  return useQuery({ queryKey: ALERT_KEYS.rules, queryFn: ({ signal }) => fetchJson("/api/alerts/rules", RuleListSchema, { signal }) });
}

/** Admins only (the route answers 403 to a viewer). */
export function useChannels() {
  return useQuery({ queryKey: ALERT_KEYS.channels, queryFn: ({ signal }) => fetchJson("/api/alerts/channels", ChannelListSchema, { signal }), refetchInterval: 10_000 });
}

/** Admins only. */
export function useDeliveries(limit: number) {
  return useQuery({
    queryKey: [...ALERT_KEYS.deliveries, limit],
    queryFn: ({ signal }) => fetchJson(`/api/alerts/notifications?limit=${limit}`, NotificationListSchema, { signal }),
    refetchInterval: 10_000,
  });
}

export function useSilences() {
  return useQuery({ queryKey: ALERT_KEYS.silences, queryFn: ({ signal }) => fetchJson("/api/alerts/silences", SilenceListSchema, { signal }), refetchInterval: 30_000 });
}

export interface AlertWrite {
  url: string;
  method?: "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
}

/**
 * An admin's write to alerting; on success every alert query is read again (a rule, a channel or
 * a resend changes what several sections show). Errors stay on the mutation for the caller to show.
 */
export function useAlertWrite<T = unknown>() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ url, method = "POST", body = {} }: AlertWrite) => sendJson<T>(url, body, method),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["alerts"] }),
  });
}
