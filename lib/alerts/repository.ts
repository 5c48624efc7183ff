import type { ChannelType } from "./channels/channel";
import type { AlertNotification, Detector, Phase } from "./types";

/** Which keys a rule covers. */
export type RuleScope = { kind: "all" } | { kind: "team"; teamId: string } | { kind: "key"; keyHash: string };

export interface AlertRule {
  id: string;
  name: string;
  detector: Detector;
  scope: RuleScope;
  /** The detector's thresholds (lib/alerts/rules.ts: RULE_PARAMS validates them per detector). */
  params: Record<string, number>;
  enabled: boolean;
  /** Made by Inflight out of the box: may be disabled or tuned, not removed. */
  builtIn: boolean;
  createdAtMs: number;
  updatedAtMs: number;
}

/** "ui": made by an admin; "env": configured by the environment (its config lives there); "builtin": the in-app feed. */
export type ChannelSource = "ui" | "env" | "builtin";

export interface AlertChannel {
  id: string;
  name: string;
  type: ChannelType;
  /** Secrets included: never sent to the browser (notifiers' `redact`). `{}` for env and builtin channels. */
  config: Record<string, unknown>;
  /** Routes only alerts of this team's keys; null: every alert. */
  teamId: string | null;
  source: ChannelSource;
  enabled: boolean;
  consecutiveFailures: number;
  /** Set when it failed too often in a row: no delivery until it is resumed. */
  pausedAtMs: number | null;
  lastError: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export type AlertState = "pending" | "firing" | "resolved";
/** What was told of the alert: nothing yet, a firing message, or a message that it was found after it ended. */
export type Announced = "live" | "past" | null;

export interface AlertRecord {
  id: string;
  ruleId: string;
  keyId: number;
  state: AlertState;
  announced: Announced;
  startedSec: number;
  /** End (exclusive) of the newest second the condition held. */
  lastActiveSec: number;
  peak: number | null;
  limit: number | null;
  evidence: Record<string, unknown>;
  /** Separate stretches of the condition merged into this alert (a key that keeps bursting is one alert). */
  episodes: number;
  lastNotifiedAtMs: number | null;
  resolvedAtMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export type NotificationStatus = "pending" | "sent" | "failed";

/** An outbox row: one notification of one alert to one channel. */
export interface OutboxNotification {
  /** Stable across retries: the webhook's webhook-id. */
  id: string;
  alertId: string;
  channelId: string;
  phase: Phase;
  payload: AlertNotification;
  status: NotificationStatus;
  attempts: number;
  nextAttemptMs: number;
  lastError: string | null;
  createdAtMs: number;
  sentAtMs: number | null;
}

export interface DeliveryAttempt {
  notificationId: string;
  atMs: number;
  ok: boolean;
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
}

/** One evaluation's writes, applied in one transaction: alert rows and the notifications their changes cause. */
export interface AlertChanges {
  /**
   * New alerts are inserted; an alert read before (its id in `read`) is replaced only if its row is
   * still as read. A resolved alert's openKey is cleared, so a new alert of the same (rule, key) may open.
   */
  upsert: AlertRecord[];
  /** Pending alerts that never fired and no longer hold: removed (also only if still as read). */
  remove: string[];
  notifications: Omit<OutboxNotification, "status" | "attempts" | "lastError" | "sentAtMs">[];
  /**
   * The `updatedAtMs` of each existing alert as this evaluation read it. Another evaluation that
   * changed one meanwhile (two runners for a moment, during a takeover) makes the whole change fail
   * with AlertConflictError: no message is told twice.
   */
  read?: Record<string, number>;
}

/** Another evaluation changed an alert since it was read: nothing of the change was written. */
export class AlertConflictError extends Error {
  constructor(id: string) {
    super(`alert ${id} changed since it was read (another evaluation ran at the same time)`);
    this.name = "AlertConflictError";
  }
}

/** After an attempt: delivered, to be tried again at nextAttemptMs, or given up. */
export type AttemptOutcome = { status: "sent" } | { status: "pending"; nextAttemptMs: number } | { status: "failed" };

export interface Silence {
  id: string;
  /** Null fields match anything. */
  ruleId: string | null;
  keyHash: string | null;
  teamId: string | null;
  endsAtMs: number;
  comment: string;
  createdBy: string;
  createdAtMs: number;
}

export interface FeedItem {
  id: number;
  alertId: string;
  teamId: string | null;
  notification: AlertNotification;
  createdAtMs: number;
}

export interface AlertListFilter {
  state?: AlertState | "open";
  keyId?: number;
  ruleId?: string;
  /** Alerts overlapping [fromSec, toSec) (a key chart's range). */
  fromSec?: number;
  toSec?: number;
  /** Only alerts of keys of these teams (a team-limited viewer); null: all. */
  teams?: string[] | null;
  /** Alerts created before this one (paging, newest first). */
  beforeCreatedAtMs?: number;
  limit: number;
}

/** An alert with what the list shows beside it. */
export interface AlertListItem extends AlertRecord {
  keyHash: string;
  keyAlias: string | null;
  teamId: string | null;
  /** "(removed rule)" when its rule was removed since. */
  ruleName: string;
  /** Null when its rule was removed since (an alert row does not keep its rule's detector). */
  detector: Detector | null;
}

/**
 * The alerts' rules, channels, alerts with their outbox, silences and the in-app feed. Only the
 * runner's jobs write alerts and the outbox; admins write rules, channels and silences.
 */
export interface AlertRepository {
  listRules(): Promise<AlertRule[]>;
  getRule(id: string): Promise<AlertRule | null>;
  /** Inserts or replaces by id. */
  saveRule(rule: AlertRule): Promise<void>;
  /** Removes a rule that is not built in, and its open alerts (their notifications stay). False when absent or built in. */
  removeRule(id: string): Promise<boolean>;
  /** Inserts the built-in rules that are missing (an admin's edits to one are kept). */
  ensureRules(rules: AlertRule[]): Promise<void>;

  listChannels(): Promise<AlertChannel[]>;
  getChannel(id: string): Promise<AlertChannel | null>;
  /** Inserts or replaces by id (keeping nothing of the old row). */
  saveChannel(channel: AlertChannel): Promise<void>;
  /** Removes a channel made in the UI; its pending notifications are marked failed. False when absent or not from the UI. */
  removeChannel(id: string): Promise<boolean>;
  /**
   * The channels the environment configures and the builtin ones, as they are now: inserted, or
   * updated (name, type, team) keeping their delivery state; env channels no longer configured are removed.
   */
  syncFixedChannels(channels: Pick<AlertChannel, "id" | "name" | "type" | "teamId" | "source">[], atMs: number): Promise<void>;
  /**
   * A delivery's effect on its channel: success clears the failure count; a failure adds one and
   * pauses the channel when the count reaches `pauseAfter`.
   */
  recordChannelResult(id: string, ok: boolean, error: string | null, pauseAfter: number, atMs: number): Promise<void>;
  /** Un-pauses (and enables) a channel: the failure count restarts. */
  resumeChannel(id: string, atMs: number): Promise<void>;

  /** Alerts not resolved (pending or firing). */
  openAlerts(): Promise<AlertRecord[]>;
  /** Per "ruleId:keyId", the newest lastActiveSec of its resolved alerts that were active at or after `sinceSec`. */
  lastClosed(sinceSec: number): Promise<Map<string, number>>;
  /** One transaction: the alerts' rows and the notifications their changes cause (the outbox). */
  apply(changes: AlertChanges): Promise<void>;
  getAlert(id: string): Promise<AlertListItem | null>;
  /** Newest first. */
  listAlerts(f: AlertListFilter): Promise<AlertListItem[]>;

  /**
   * Claims up to `limit` pending notifications due at `nowMs` whose channel is enabled and not
   * paused, for `claimMs`: another instance cannot claim them meanwhile (nothing is sent twice).
   */
  claimDue(nowMs: number, limit: number, claimMs: number): Promise<OutboxNotification[]>;
  /** Records an attempt and its outcome, and releases the claim, in one transaction. */
  recordAttempt(attempt: DeliveryAttempt, outcome: AttemptOutcome): Promise<void>;
  /** Puts a failed (or sent) notification back in the queue, due now, with its attempts from zero. False when absent. */
  resend(id: string, nowMs: number): Promise<boolean>;
  getNotification(id: string): Promise<OutboxNotification | null>;
  notificationsOf(alertId: string): Promise<OutboxNotification[]>;
  /** Newest first; optionally one channel's, or only failed ones. */
  listNotifications(f: { channelId?: string; status?: NotificationStatus; limit: number }): Promise<OutboxNotification[]>;
  attemptsOf(notificationId: string): Promise<DeliveryAttempt[]>;

  /** Silences still in force at `atMs` (all of them when atMs is omitted). */
  listSilences(atMs?: number): Promise<Silence[]>;
  saveSilence(s: Silence): Promise<void>;
  removeSilence(id: string): Promise<boolean>;

  addFeedItem(item: Omit<FeedItem, "id">): Promise<void>;
  /** Newest first; only items of these teams' keys (null: all). */
  listFeed(teams: string[] | null, limit: number): Promise<FeedItem[]>;
  /** Items newer than what the account has read (of these teams; null: all). */
  unreadCount(userId: string, teams: string[] | null): Promise<number>;
  markFeedRead(userId: string, toId: number): Promise<void>;
}
