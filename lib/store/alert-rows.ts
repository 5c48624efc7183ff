// The alert tables as both adapters write and read them: the same columns in the same order, so
// only placeholders and a few dialect words differ between lib/store/sqlite/alerts.ts and
// lib/store/postgres/alerts.ts. JSON columns (params, config, evidence, payload) are TEXT in both
// schemas; booleans go in as 0/1 (what SQLite stores; Postgres takes '1'/'0' for a boolean) and come
// back as 0/1 or true/false; epoch ms are numbers (Postgres parses BIGINT so: postgres/connection.ts).
import type {
  AlertChannel,
  AlertChanges,
  AlertListFilter,
  AlertListItem,
  AlertRecord,
  AlertRule,
  DeliveryAttempt,
  FeedItem,
  NotificationStatus,
  OutboxNotification,
  RuleScope,
  Silence,
} from "../alerts/repository";
import type { AlertNotification, Detector } from "../alerts/types";

export type Row = Record<string, unknown>;

/** The row mapped, or null when there is none. */
export const orNull = <T>(r: Row | undefined, map: (r: Row) => T): T | null => (r ? map(r) : null);

/** A table's written columns and an object's values for them, in that order. */
export interface TableWrite<T> {
  table: string;
  columns: readonly string[];
  values(x: T): unknown[];
}

/** Adds a parameter and returns its placeholder (`?` on SQLite, `$n` on Postgres). */
export type Bind = (value: unknown) => string;

/** How a dialect writes "this column is one of these strings". */
export type InList = (column: string, values: string[], bind: Bind) => string;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const bit = (b: boolean) => (b ? 1 : 0);
const json = (v: unknown) => JSON.parse(String(v)) as Record<string, unknown>;

/**
 * `INSERT INTO <table> (…) VALUES (…)`; "replace": the row of the same id is overwritten
 * (upsert by id); "keep": an existing row of that id is left as it is.
 */
export function insertSql<T>(t: TableWrite<T>, placeholder: (i: number) => string, onConflict?: "replace" | "keep"): string {
  const insert = `INSERT INTO ${t.table} (${t.columns.join(", ")}) VALUES (${t.columns.map((_, i) => placeholder(i)).join(", ")})`;
  if (onConflict === "keep") return `${insert} ON CONFLICT (id) DO NOTHING`;
  if (onConflict === "replace") {
    return `${insert} ON CONFLICT (id) DO UPDATE SET ${t.columns
      .filter((c) => c !== "id")
      .map((c) => `${c} = excluded.${c}`)
      .join(", ")}`;
  }
  return insert;
}

/**
 * `UPDATE <table> SET … WHERE id = … AND updated_at_ms = …`: replaces a row only if it is still as
 * read. Its values: `updateValues`.
 */
export function updateIfSql<T>(t: TableWrite<T>, placeholder: (i: number) => string): string {
  const set = t.columns.filter((c) => c !== "id");
  return `UPDATE ${t.table} SET ${set.map((c, i) => `${c} = ${placeholder(i)}`).join(", ")} WHERE id = ${placeholder(set.length)} AND updated_at_ms = ${placeholder(set.length + 1)}`;
}

/** The values of updateIfSql: the columns but id, then the id and the updated-at it was read with. */
export function updateValues<T extends { id: string }>(t: TableWrite<T>, x: T, readUpdatedAtMs: number): unknown[] {
  const values = t.values(x);
  return [...values.filter((_, i) => t.columns[i] !== "id"), x.id, readUpdatedAtMs];
}

// --- rules ---------------------------------------------------------------------------------

export const RULE: TableWrite<AlertRule> = {
  table: "alert_rule",
  columns: ["id", "name", "detector", "scope_kind", "scope_value", "params", "enabled", "built_in", "created_at_ms", "updated_at_ms"],
  values: (r) => [
    r.id,
    r.name,
    r.detector,
    r.scope.kind,
    r.scope.kind === "team" ? r.scope.teamId : r.scope.kind === "key" ? r.scope.keyHash : null,
    JSON.stringify(r.params),
    bit(r.enabled),
    bit(r.builtIn),
    r.createdAtMs,
    r.updatedAtMs,
  ],
};

function scopeOf(kind: unknown, value: unknown): RuleScope {
  if (kind === "team") return { kind, teamId: String(value) };
  if (kind === "key") return { kind, keyHash: String(value) };
  return { kind: "all" };
}

export function ruleOf(r: Row): AlertRule {
  return {
    id: String(r.id),
    name: String(r.name),
    detector: r.detector as Detector,
    scope: scopeOf(r.scope_kind, r.scope_value),
    params: json(r.params) as Record<string, number>,
    enabled: Boolean(r.enabled),
    builtIn: Boolean(r.built_in),
    createdAtMs: Number(r.created_at_ms),
    updatedAtMs: Number(r.updated_at_ms),
  };
}

// --- channels ------------------------------------------------------------------------------

export const CHANNEL: TableWrite<AlertChannel> = {
  table: "alert_channel",
  columns: [
    "id",
    "name",
    "type",
    "config",
    "team_id",
    "source",
    "enabled",
    "consecutive_failures",
    "paused_at_ms",
    "last_error",
    "created_at_ms",
    "updated_at_ms",
  ],
  values: (c) => [
    c.id,
    c.name,
    c.type,
    JSON.stringify(c.config),
    c.teamId,
    c.source,
    bit(c.enabled),
    c.consecutiveFailures,
    c.pausedAtMs,
    c.lastError,
    c.createdAtMs,
    c.updatedAtMs,
  ],
};

/** A channel the environment or Inflight itself configures, as syncFixedChannels takes it. */
export type FixedChannel = Pick<AlertChannel, "id" | "name" | "type" | "teamId" | "source">;

/** A fixed channel's row when it is new: enabled, no failures, no config (it lives in the environment). */
export const fixedChannel = (c: FixedChannel, atMs: number): AlertChannel => ({
  ...c,
  config: {},
  enabled: true,
  consecutiveFailures: 0,
  pausedAtMs: null,
  lastError: null,
  createdAtMs: atMs,
  updatedAtMs: atMs,
});

/**
 * syncFixedChannels' upsert of one channel: its delivery state (enabled, failures, pause) is kept,
 * and the row is rewritten only when what it is changed. `isDistinct` is the dialect's
 * null-safe "differs" (SQLite `IS NOT`, Postgres `IS DISTINCT FROM`).
 */
export const fixedChannelSql = (placeholder: (i: number) => string, isDistinct: string) =>
  `${insertSql(CHANNEL, placeholder)} ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type,
     team_id = excluded.team_id, source = excluded.source, config = excluded.config, updated_at_ms = excluded.updated_at_ms
   WHERE (alert_channel.name, alert_channel.type, alert_channel.team_id, alert_channel.source, alert_channel.config)
     ${isDistinct} (excluded.name, excluded.type, excluded.team_id, excluded.source, excluded.config)`;

export function channelOf(r: Row): AlertChannel {
  return {
    id: String(r.id),
    name: String(r.name),
    type: r.type as AlertChannel["type"],
    config: json(r.config),
    teamId: str(r.team_id),
    source: r.source as AlertChannel["source"],
    enabled: Boolean(r.enabled),
    consecutiveFailures: Number(r.consecutive_failures),
    pausedAtMs: num(r.paused_at_ms),
    lastError: str(r.last_error),
    createdAtMs: Number(r.created_at_ms),
    updatedAtMs: Number(r.updated_at_ms),
  };
}

/** What a removed channel's undelivered notifications say. */
export const CHANNEL_REMOVED = "channel removed";

// --- alerts --------------------------------------------------------------------------------

export const ALERT: TableWrite<AlertRecord> = {
  table: "alert",
  columns: [
    "id",
    "rule_id",
    "key_id",
    "state",
    "open_key",
    "announced",
    "started_sec",
    "last_active_sec",
    "peak",
    "limit_value",
    "evidence",
    "episodes",
    "last_notified_at_ms",
    "resolved_at_ms",
    "created_at_ms",
    "updated_at_ms",
  ],
  values: (a) => [
    a.id,
    a.ruleId,
    a.keyId,
    a.state,
    // Unique: while the alert is open no other alert of its (rule, key) may be.
    a.state === "resolved" ? null : `${a.ruleId}:${a.keyId}`,
    a.announced,
    a.startedSec,
    a.lastActiveSec,
    a.peak,
    a.limit,
    JSON.stringify(a.evidence),
    a.episodes,
    a.lastNotifiedAtMs,
    a.resolvedAtMs,
    a.createdAtMs,
    a.updatedAtMs,
  ],
};

/**
 * The alert upserts in the order that lets them pass the unique open key: the alerts that resolve
 * first, so an alert opening in the same change for the same (rule, key) finds the key free.
 */
export const upsertOrder = (c: AlertChanges): AlertRecord[] => [
  ...c.upsert.filter((a) => a.state === "resolved"),
  ...c.upsert.filter((a) => a.state !== "resolved"),
];

export function alertOf(r: Row): AlertRecord {
  return {
    id: String(r.id),
    ruleId: String(r.rule_id),
    keyId: Number(r.key_id),
    state: r.state as AlertRecord["state"],
    announced: str(r.announced) as AlertRecord["announced"],
    startedSec: Number(r.started_sec),
    lastActiveSec: Number(r.last_active_sec),
    peak: num(r.peak),
    limit: num(r.limit_value),
    evidence: json(r.evidence),
    episodes: Number(r.episodes),
    lastNotifiedAtMs: num(r.last_notified_at_ms),
    resolvedAtMs: num(r.resolved_at_ms),
    createdAtMs: Number(r.created_at_ms),
    updatedAtMs: Number(r.updated_at_ms),
  };
}

/** An alert with its key and rule. A removed rule's alerts stay (LEFT JOIN); keys are never deleted. */
export const ALERT_ITEMS = `SELECT a.*, k.hash AS key_hash, k.alias AS key_alias, k.team_id, r.name AS rule_name, r.detector
  FROM alert a JOIN key k ON k.id = a.key_id LEFT JOIN alert_rule r ON r.id = a.rule_id`;

export function alertItemOf(r: Row): AlertListItem {
  return {
    ...alertOf(r),
    keyHash: String(r.key_hash),
    keyAlias: str(r.key_alias),
    teamId: str(r.team_id),
    ruleName: str(r.rule_name) ?? "(removed rule)",
    detector: str(r.detector) as Detector | null,
  };
}

/** listAlerts' query: ALERT_ITEMS filtered, newest first. */
export function alertListSql(f: AlertListFilter, bind: Bind, inList: InList): string {
  const where: string[] = [];
  if (f.state === "open") where.push("a.state IN ('pending', 'firing')");
  else if (f.state) where.push(`a.state = ${bind(f.state)}`);
  if (f.keyId !== undefined) where.push(`a.key_id = ${bind(f.keyId)}`);
  if (f.ruleId !== undefined) where.push(`a.rule_id = ${bind(f.ruleId)}`);
  if (f.toSec !== undefined) where.push(`a.started_sec < ${bind(f.toSec)}`);
  if (f.fromSec !== undefined) where.push(`a.last_active_sec > ${bind(f.fromSec)}`);
  if (f.teams) where.push(inList("k.team_id", f.teams, bind));
  if (f.beforeCreatedAtMs !== undefined) where.push(`a.created_at_ms < ${bind(f.beforeCreatedAtMs)}`);
  const filter = where.length ? `WHERE ${where.join(" AND ")}` : "";
  return `${ALERT_ITEMS} ${filter} ORDER BY a.created_at_ms DESC, a.id LIMIT ${bind(f.limit)}`;
}

// --- the outbox ----------------------------------------------------------------------------

type NewNotification = AlertChanges["notifications"][number];

/** A new notification: pending, never attempted (the columns' defaults and the status written with it). */
export const NOTIFICATION: TableWrite<NewNotification> = {
  table: "alert_notification",
  columns: ["id", "alert_id", "channel_id", "phase", "payload", "next_attempt_ms", "created_at_ms", "status"],
  // The payload is stored without its id: the row's id is it.
  values: (n) => [n.id, n.alertId, n.channelId, n.phase, JSON.stringify({ ...n.payload, id: undefined }), n.nextAttemptMs, n.createdAtMs, "pending"],
};

export function notificationOf(r: Row): OutboxNotification {
  const id = String(r.id);
  return {
    id,
    alertId: String(r.alert_id),
    channelId: String(r.channel_id),
    phase: r.phase as OutboxNotification["phase"],
    payload: { ...(json(r.payload) as Omit<AlertNotification, "id">), id },
    status: r.status as OutboxNotification["status"],
    attempts: Number(r.attempts),
    nextAttemptMs: Number(r.next_attempt_ms),
    lastError: str(r.last_error),
    createdAtMs: Number(r.created_at_ms),
    sentAtMs: num(r.sent_at_ms),
  };
}

/**
 * claimDue's statement: claims (until `until`) up to `limit` notifications that are pending, due at
 * `now` and unclaimed (or whose claim ran out), on an enabled channel that is not paused, oldest
 * due first. One alert's notifications to one channel go out in order: one waits while an older
 * one is still pending (being retried), so a receiver never gets "resolved" before "firing".
 * `lock` is Postgres' row lock: a concurrent claim skips the rows this one holds.
 */
export const claimSql = (p: { until: string; now: string; limit: string }, lock = "") =>
  `UPDATE alert_notification SET claimed_until = ${p.until} WHERE id IN (
     SELECT n.id FROM alert_notification n JOIN alert_channel c ON c.id = n.channel_id
     WHERE n.status = 'pending' AND n.next_attempt_ms <= ${p.now} AND (n.claimed_until IS NULL OR n.claimed_until < ${p.now})
       AND c.enabled = true AND c.paused_at_ms IS NULL
       AND NOT EXISTS (SELECT 1 FROM alert_notification e
                       WHERE e.alert_id = n.alert_id AND e.channel_id = n.channel_id AND e.status = 'pending' AND e.created_at_ms < n.created_at_ms)
     ORDER BY n.next_attempt_ms, n.id LIMIT ${p.limit} ${lock})
   RETURNING *`;

/** A claim's rows in claim order (an UPDATE … RETURNING keeps none). */
export const byDue = (a: OutboxNotification, b: OutboxNotification) => a.nextAttemptMs - b.nextAttemptMs || a.id.localeCompare(b.id);

export const ATTEMPT: TableWrite<DeliveryAttempt> = {
  table: "alert_delivery_attempt",
  columns: ["notification_id", "at_ms", "ok", "http_status", "latency_ms", "error"],
  values: (a) => [a.notificationId, a.atMs, bit(a.ok), a.httpStatus, a.latencyMs, a.error],
};

export function attemptOf(r: Row): DeliveryAttempt {
  return {
    notificationId: String(r.notification_id),
    atMs: Number(r.at_ms),
    ok: Boolean(r.ok),
    httpStatus: num(r.http_status),
    latencyMs: Number(r.latency_ms),
    error: str(r.error),
  };
}

/** listNotifications' query: newest first. */
export function notificationListSql(f: { channelId?: string; status?: NotificationStatus; limit: number }, bind: Bind): string {
  const where: string[] = [];
  if (f.channelId !== undefined) where.push(`channel_id = ${bind(f.channelId)}`);
  if (f.status) where.push(`status = ${bind(f.status)}`);
  const filter = where.length ? `WHERE ${where.join(" AND ")}` : "";
  return `SELECT * FROM alert_notification ${filter} ORDER BY created_at_ms DESC, id LIMIT ${bind(f.limit)}`;
}

// --- silences and the feed -----------------------------------------------------------------

export const SILENCE: TableWrite<Silence> = {
  table: "alert_silence",
  columns: ["id", "rule_id", "key_hash", "team_id", "ends_at_ms", "comment", "created_by", "created_at_ms"],
  values: (s) => [s.id, s.ruleId, s.keyHash, s.teamId, s.endsAtMs, s.comment, s.createdBy, s.createdAtMs],
};

export function silenceOf(r: Row): Silence {
  return {
    id: String(r.id),
    ruleId: str(r.rule_id),
    keyHash: str(r.key_hash),
    teamId: str(r.team_id),
    endsAtMs: Number(r.ends_at_ms),
    comment: String(r.comment),
    createdBy: String(r.created_by),
    createdAtMs: Number(r.created_at_ms),
  };
}

export const FEED_ITEM: TableWrite<Omit<FeedItem, "id">> = {
  table: "alert_feed_item",
  columns: ["alert_id", "team_id", "payload", "created_at_ms"],
  values: (f) => [f.alertId, f.teamId, JSON.stringify(f.notification), f.createdAtMs],
};

export function feedItemOf(r: Row): FeedItem {
  return {
    id: Number(r.id),
    alertId: String(r.alert_id),
    teamId: str(r.team_id),
    notification: json(r.payload) as unknown as AlertNotification,
    createdAtMs: Number(r.created_at_ms),
  };
}

/** The feed items these teams see (null: all; an item of no team only then). */
const feedTeams = (teams: string[] | null, bind: Bind, inList: InList): string => (teams ? inList("team_id", teams, bind) : "true");

/** listFeed's query: newest first. */
export const feedSql = (teams: string[] | null, limit: number, bind: Bind, inList: InList) =>
  `SELECT * FROM alert_feed_item WHERE ${feedTeams(teams, bind, inList)} ORDER BY id DESC LIMIT ${bind(limit)}`;

/** unreadCount's query: the items past the account's read mark (0 when it has none), as `n`. */
export const unreadSql = (userId: string, teams: string[] | null, bind: Bind, inList: InList) =>
  `SELECT count(*) AS n FROM alert_feed_item
   WHERE id > COALESCE((SELECT read_to_id FROM alert_feed_read WHERE user_id = ${bind(userId)}), 0) AND ${feedTeams(teams, bind, inList)}`;
