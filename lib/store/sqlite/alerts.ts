// Alerts in SQLite: rules, channels, alerts with their outbox, silences and the in-app feed. Each
// write that touches several rows is one writeTx; claimDue is an immediate write transaction, so
// a claim made by another connection (another process on the same file) is seen, never repeated.
import {
  AlertConflictError,
  type AlertChanges,
  type AlertChannel,
  type AlertListFilter,
  type AlertListItem,
  type AlertRecord,
  type AlertRepository,
  type AlertRule,
  type AttemptOutcome,
  type DeliveryAttempt,
  type FeedItem,
  type NotificationStatus,
  type OutboxNotification,
  type Silence,
} from "../../alerts/repository";
import * as rows from "../alert-rows";
import { writeTx, type Sqlite } from "./connection";

const q = () => "?";
const inList: rows.InList = (column, values, bind) => `${column} IN (SELECT value FROM json_each(${bind(JSON.stringify(values))}))`;

/** A dynamic statement's parameters: `bind` adds one and returns its placeholder. */
function binder(): { args: unknown[]; bind: rows.Bind } {
  const args: unknown[] = [];
  return { args, bind: (v) => (args.push(v), "?") };
}

export class SqliteAlertRepository implements AlertRepository {
  private readonly stmt;

  constructor(private readonly db: Sqlite) {
    this.stmt = {
      rules: db.prepare(`SELECT * FROM alert_rule ORDER BY created_at_ms, id`),
      rule: db.prepare(`SELECT * FROM alert_rule WHERE id = ?`),
      saveRule: db.prepare(rows.insertSql(rows.RULE, q, "replace")),
      addRule: db.prepare(rows.insertSql(rows.RULE, q, "keep")),
      removeRule: db.prepare(`DELETE FROM alert_rule WHERE id = ? AND built_in = false`),
      removeOpenOf: db.prepare(`DELETE FROM alert WHERE rule_id = ? AND state <> 'resolved'`),

      channels: db.prepare(`SELECT * FROM alert_channel ORDER BY created_at_ms, id`),
      channel: db.prepare(`SELECT * FROM alert_channel WHERE id = ?`),
      saveChannel: db.prepare(rows.insertSql(rows.CHANNEL, q, "replace")),
      removeChannel: db.prepare(`DELETE FROM alert_channel WHERE id = ? AND source = 'ui'`),
      failPendingOf: db.prepare(
        `UPDATE alert_notification SET status = 'failed', last_error = ?, claimed_until = NULL WHERE channel_id = ? AND status = 'pending'`,
      ),
      syncChannel: db.prepare(rows.fixedChannelSql(q, "IS NOT")),
      removeEnvChannels: db.prepare(`DELETE FROM alert_channel WHERE source = 'env' AND id NOT IN (SELECT value FROM json_each(?)) RETURNING id`).pluck(),
      channelOk: db.prepare(`UPDATE alert_channel SET consecutive_failures = 0 WHERE id = ?`),
      channelFailed: db.prepare(
        `UPDATE alert_channel SET consecutive_failures = consecutive_failures + 1, last_error = @error,
           paused_at_ms = CASE WHEN paused_at_ms IS NULL AND consecutive_failures + 1 >= @pauseAfter THEN @atMs ELSE paused_at_ms END
         WHERE id = @id`,
      ),
      resumeChannel: db.prepare(`UPDATE alert_channel SET paused_at_ms = NULL, enabled = true, consecutive_failures = 0, updated_at_ms = ? WHERE id = ?`),

      openAlerts: db.prepare(`SELECT * FROM alert WHERE state IN ('pending', 'firing') ORDER BY created_at_ms, id`),
      lastClosed: db.prepare(
        `SELECT rule_id, key_id, MAX(last_active_sec) AS last FROM alert WHERE state = 'resolved' AND last_active_sec >= ? GROUP BY rule_id, key_id`,
      ),
      insertAlert: db.prepare(rows.insertSql(rows.ALERT, q)),
      updateAlert: db.prepare(rows.updateIfSql(rows.ALERT, q)),
      removeAlert: db.prepare(`DELETE FROM alert WHERE id = ? AND updated_at_ms = ?`),
      addNotification: db.prepare(rows.insertSql(rows.NOTIFICATION, q)),
      alert: db.prepare(`${rows.ALERT_ITEMS} WHERE a.id = ?`),

      claim: db.prepare(rows.claimSql({ until: "@until", now: "@now", limit: "@limit" })),
      addAttempt: db.prepare(rows.insertSql(rows.ATTEMPT, q)),
      settle: db.prepare(
        `UPDATE alert_notification SET attempts = attempts + 1, last_error = @error, status = @status,
           next_attempt_ms = COALESCE(@next, next_attempt_ms), sent_at_ms = COALESCE(@sent, sent_at_ms), claimed_until = NULL
         WHERE id = @id`,
      ),
      resend: db.prepare(`UPDATE alert_notification SET status = 'pending', attempts = 0, next_attempt_ms = ?, claimed_until = NULL WHERE id = ?`),
      notification: db.prepare(`SELECT * FROM alert_notification WHERE id = ?`),
      notificationsOf: db.prepare(`SELECT * FROM alert_notification WHERE alert_id = ? ORDER BY created_at_ms, id`),
      attemptsOf: db.prepare(`SELECT * FROM alert_delivery_attempt WHERE notification_id = ? ORDER BY at_ms, id`),

      silences: db.prepare(`SELECT * FROM alert_silence WHERE ends_at_ms > ? ORDER BY created_at_ms DESC, id`),
      saveSilence: db.prepare(rows.insertSql(rows.SILENCE, q, "replace")),
      removeSilence: db.prepare(`DELETE FROM alert_silence WHERE id = ?`),

      addFeedItem: db.prepare(rows.insertSql(rows.FEED_ITEM, q)),
      markRead: db.prepare(
        `INSERT INTO alert_feed_read (user_id, read_to_id) VALUES (?, ?)
         ON CONFLICT (user_id) DO UPDATE SET read_to_id = max(read_to_id, excluded.read_to_id)`,
      ),
    };
  }

  async listRules(): Promise<AlertRule[]> {
    return (this.stmt.rules.all() as rows.Row[]).map(rows.ruleOf);
  }

  async getRule(id: string): Promise<AlertRule | null> {
    return rows.orNull(this.stmt.rule.get(id) as rows.Row | undefined, rows.ruleOf);
  }

  async saveRule(rule: AlertRule): Promise<void> {
    this.stmt.saveRule.run(rows.RULE.values(rule));
  }

  async removeRule(id: string): Promise<boolean> {
    return writeTx(this.db, () => {
      if (this.stmt.removeRule.run(id).changes === 0) return false;
      this.stmt.removeOpenOf.run(id);
      return true;
    });
  }

  async ensureRules(rules: AlertRule[]): Promise<void> {
    writeTx(this.db, () => rules.forEach((r) => this.stmt.addRule.run(rows.RULE.values(r))));
  }

  async listChannels(): Promise<AlertChannel[]> {
    return (this.stmt.channels.all() as rows.Row[]).map(rows.channelOf);
  }

  async getChannel(id: string): Promise<AlertChannel | null> {
    return rows.orNull(this.stmt.channel.get(id) as rows.Row | undefined, rows.channelOf);
  }

  async saveChannel(channel: AlertChannel): Promise<void> {
    this.stmt.saveChannel.run(rows.CHANNEL.values(channel));
  }

  async removeChannel(id: string): Promise<boolean> {
    return writeTx(this.db, () => {
      if (this.stmt.removeChannel.run(id).changes === 0) return false;
      this.stmt.failPendingOf.run(rows.CHANNEL_REMOVED, id);
      return true;
    });
  }

  async syncFixedChannels(channels: rows.FixedChannel[], atMs: number): Promise<void> {
    writeTx(this.db, () => {
      for (const c of channels) this.stmt.syncChannel.run(rows.CHANNEL.values(rows.fixedChannel(c, atMs)));
      const gone = this.stmt.removeEnvChannels.all(JSON.stringify(channels.map((c) => c.id))) as string[];
      for (const id of gone) this.stmt.failPendingOf.run(rows.CHANNEL_REMOVED, id);
    });
  }

  async recordChannelResult(id: string, ok: boolean, error: string | null, pauseAfter: number, atMs: number): Promise<void> {
    if (ok) this.stmt.channelOk.run(id);
    else this.stmt.channelFailed.run({ id, error, pauseAfter, atMs });
  }

  async resumeChannel(id: string, atMs: number): Promise<void> {
    this.stmt.resumeChannel.run(atMs, id);
  }

  async openAlerts(): Promise<AlertRecord[]> {
    return (this.stmt.openAlerts.all() as rows.Row[]).map(rows.alertOf);
  }

  async lastClosed(sinceSec: number): Promise<Map<string, number>> {
    const closed = this.stmt.lastClosed.all(sinceSec) as rows.Row[];
    return new Map(closed.map((r) => [`${r.rule_id}:${r.key_id}`, Number(r.last)]));
  }

  async apply(changes: AlertChanges): Promise<void> {
    const read = changes.read ?? {};
    writeTx(this.db, () => {
      for (const id of changes.remove) if (this.stmt.removeAlert.run(id, read[id] ?? -1).changes === 0) throw new AlertConflictError(id);
      for (const a of rows.upsertOrder(changes)) {
        if (!(a.id in read)) this.stmt.insertAlert.run(rows.ALERT.values(a));
        else if (this.stmt.updateAlert.run(rows.updateValues(rows.ALERT, a, read[a.id])).changes === 0) throw new AlertConflictError(a.id);
      }
      for (const n of changes.notifications) this.stmt.addNotification.run(rows.NOTIFICATION.values(n));
    });
  }

  async getAlert(id: string): Promise<AlertListItem | null> {
    return rows.orNull(this.stmt.alert.get(id) as rows.Row | undefined, rows.alertItemOf);
  }

  async listAlerts(f: AlertListFilter): Promise<AlertListItem[]> {
    const { args, bind } = binder();
    return (this.db.prepare(rows.alertListSql(f, bind, inList)).all(args) as rows.Row[]).map(rows.alertItemOf);
  }

  async claimDue(nowMs: number, limit: number, claimMs: number): Promise<OutboxNotification[]> {
    const claimed = writeTx(this.db, () => this.stmt.claim.all({ until: nowMs + claimMs, now: nowMs, limit }) as rows.Row[]);
    return claimed.map(rows.notificationOf).sort(rows.byDue);
  }

  async recordAttempt(attempt: DeliveryAttempt, outcome: AttemptOutcome): Promise<void> {
    writeTx(this.db, () => {
      this.stmt.addAttempt.run(rows.ATTEMPT.values(attempt));
      this.stmt.settle.run({
        id: attempt.notificationId,
        error: attempt.error,
        status: outcome.status,
        next: outcome.status === "pending" ? outcome.nextAttemptMs : null,
        sent: outcome.status === "sent" ? attempt.atMs : null,
      });
    });
  }

  async resend(id: string, nowMs: number): Promise<boolean> {
    return this.stmt.resend.run(nowMs, id).changes > 0;
  }

  async getNotification(id: string): Promise<OutboxNotification | null> {
    return rows.orNull(this.stmt.notification.get(id) as rows.Row | undefined, rows.notificationOf);
  }

  async notificationsOf(alertId: string): Promise<OutboxNotification[]> {
    return (this.stmt.notificationsOf.all(alertId) as rows.Row[]).map(rows.notificationOf);
  }

  async listNotifications(f: { channelId?: string; status?: NotificationStatus; limit: number }): Promise<OutboxNotification[]> {
    const { args, bind } = binder();
    return (this.db.prepare(rows.notificationListSql(f, bind)).all(args) as rows.Row[]).map(rows.notificationOf);
  }

  async attemptsOf(notificationId: string): Promise<DeliveryAttempt[]> {
    return (this.stmt.attemptsOf.all(notificationId) as rows.Row[]).map(rows.attemptOf);
  }

  async listSilences(atMs?: number): Promise<Silence[]> {
    return (this.stmt.silences.all(atMs ?? Number.MIN_SAFE_INTEGER) as rows.Row[]).map(rows.silenceOf);
  }

  async saveSilence(s: Silence): Promise<void> {
    this.stmt.saveSilence.run(rows.SILENCE.values(s));
  }

  async removeSilence(id: string): Promise<boolean> {
    return this.stmt.removeSilence.run(id).changes > 0;
  }

  async addFeedItem(item: Omit<FeedItem, "id">): Promise<void> {
    this.stmt.addFeedItem.run(rows.FEED_ITEM.values(item));
  }

  async listFeed(teams: string[] | null, limit: number): Promise<FeedItem[]> {
    const { args, bind } = binder();
    return (this.db.prepare(rows.feedSql(teams, limit, bind, inList)).all(args) as rows.Row[]).map(rows.feedItemOf);
  }

  async unreadCount(userId: string, teams: string[] | null): Promise<number> {
    const { args, bind } = binder();
    const r = this.db.prepare(rows.unreadSql(userId, teams, bind, inList)).get(args) as rows.Row;
    return Number(r.n);
  }

  async markFeedRead(userId: string, toId: number): Promise<void> {
    this.stmt.markRead.run(userId, toId);
  }
}
