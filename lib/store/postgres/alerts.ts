// Alerts on Postgres: rules, channels, alerts with their outbox, silences and the in-app feed.
// Few rows at a time, so a statement per row inside one transaction (withTx) where several change
// together. claimDue locks what it claims with FOR UPDATE SKIP LOCKED: replicas claiming at once
// each get other rows, and none waits for another.
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
import { withTx, type Pool } from "./connection";

const p = (i: number) => `$${i + 1}`;
const inList: rows.InList = (column, values, bind) => `${column} = ANY(${bind(values)}::text[])`;

/** A dynamic statement's parameters: `bind` adds one and returns its placeholder. */
function binder(): { args: unknown[]; bind: rows.Bind } {
  const args: unknown[] = [];
  return { args, bind: (v) => `$${args.push(v)}` };
}

/**
 * Deletes the channels `where` picks (its parameters from $2 on) and fails their pending
 * notifications with `$1`, in one statement; the number deleted.
 */
const dropChannels = (where: string) =>
  `WITH gone AS (DELETE FROM alert_channel WHERE ${where} RETURNING id),
     failed AS (UPDATE alert_notification SET status = 'failed', last_error = $1, claimed_until = NULL
                WHERE status = 'pending' AND channel_id IN (SELECT id FROM gone))
   SELECT count(*) AS n FROM gone`;

const SQL = {
  saveRule: rows.insertSql(rows.RULE, p, "replace"),
  addRule: rows.insertSql(rows.RULE, p, "keep"),
  saveChannel: rows.insertSql(rows.CHANNEL, p, "replace"),
  syncChannel: rows.fixedChannelSql(p, "IS DISTINCT FROM"),
  insertAlert: rows.insertSql(rows.ALERT, p),
  updateAlert: rows.updateIfSql(rows.ALERT, p),
  addNotification: rows.insertSql(rows.NOTIFICATION, p),
  addAttempt: rows.insertSql(rows.ATTEMPT, p),
  saveSilence: rows.insertSql(rows.SILENCE, p, "replace"),
  addFeedItem: rows.insertSql(rows.FEED_ITEM, p),
  claim: rows.claimSql({ until: "$1", now: "$2", limit: "$3" }, "FOR UPDATE OF n SKIP LOCKED"),
};

export class PgAlertRepository implements AlertRepository {
  constructor(private readonly pool: Pool) {}

  private async all(sql: string, args: unknown[] = []): Promise<rows.Row[]> {
    return (await this.pool.query(sql, args)).rows;
  }

  private async changed(sql: string, args: unknown[]): Promise<boolean> {
    return ((await this.pool.query(sql, args)).rowCount ?? 0) > 0;
  }

  async listRules(): Promise<AlertRule[]> {
    return (await this.all(`SELECT * FROM alert_rule ORDER BY created_at_ms, id`)).map(rows.ruleOf);
  }

  async getRule(id: string): Promise<AlertRule | null> {
    return rows.orNull((await this.all(`SELECT * FROM alert_rule WHERE id = $1`, [id]))[0], rows.ruleOf);
  }

  async saveRule(rule: AlertRule): Promise<void> {
    await this.pool.query(SQL.saveRule, rows.RULE.values(rule));
  }

  async removeRule(id: string): Promise<boolean> {
    const [r] = await this.all(
      `WITH gone AS (DELETE FROM alert_rule WHERE id = $1 AND built_in = false RETURNING id),
         closed AS (DELETE FROM alert WHERE rule_id IN (SELECT id FROM gone) AND state <> 'resolved')
       SELECT count(*) AS n FROM gone`,
      [id],
    );
    return Number(r.n) > 0;
  }

  async ensureRules(rules: AlertRule[]): Promise<void> {
    await withTx(this.pool, async (c) => {
      for (const r of rules) await c.query(SQL.addRule, rows.RULE.values(r));
    });
  }

  async listChannels(): Promise<AlertChannel[]> {
    return (await this.all(`SELECT * FROM alert_channel ORDER BY created_at_ms, id`)).map(rows.channelOf);
  }

  async getChannel(id: string): Promise<AlertChannel | null> {
    return rows.orNull((await this.all(`SELECT * FROM alert_channel WHERE id = $1`, [id]))[0], rows.channelOf);
  }

  async saveChannel(channel: AlertChannel): Promise<void> {
    await this.pool.query(SQL.saveChannel, rows.CHANNEL.values(channel));
  }

  async removeChannel(id: string): Promise<boolean> {
    const [r] = await this.all(dropChannels(`id = $2 AND source = 'ui'`), [rows.CHANNEL_REMOVED, id]);
    return Number(r.n) > 0;
  }

  async syncFixedChannels(channels: rows.FixedChannel[], atMs: number): Promise<void> {
    await withTx(this.pool, async (c) => {
      for (const ch of channels) await c.query(SQL.syncChannel, rows.CHANNEL.values(rows.fixedChannel(ch, atMs)));
      await c.query(dropChannels(`source = 'env' AND NOT (id = ANY($2::text[]))`), [rows.CHANNEL_REMOVED, channels.map((ch) => ch.id)]);
    });
  }

  async recordChannelResult(id: string, ok: boolean, error: string | null, pauseAfter: number, atMs: number): Promise<void> {
    if (ok) await this.pool.query(`UPDATE alert_channel SET consecutive_failures = 0 WHERE id = $1`, [id]);
    else {
      await this.pool.query(
        `UPDATE alert_channel SET consecutive_failures = consecutive_failures + 1, last_error = $2,
           paused_at_ms = CASE WHEN paused_at_ms IS NULL AND consecutive_failures + 1 >= $3 THEN $4::bigint ELSE paused_at_ms END
         WHERE id = $1`,
        [id, error, pauseAfter, atMs],
      );
    }
  }

  async resumeChannel(id: string, atMs: number): Promise<void> {
    await this.pool.query(`UPDATE alert_channel SET paused_at_ms = NULL, enabled = true, consecutive_failures = 0, updated_at_ms = $2 WHERE id = $1`, [
      id,
      atMs,
    ]);
  }

  async openAlerts(): Promise<AlertRecord[]> {
    return (await this.all(`SELECT * FROM alert WHERE state IN ('pending', 'firing') ORDER BY created_at_ms, id`)).map(rows.alertOf);
  }

  async lastClosed(sinceSec: number): Promise<Map<string, number>> {
    const closed = await this.all(
      `SELECT rule_id, key_id, MAX(last_active_sec) AS last FROM alert WHERE state = 'resolved' AND last_active_sec >= $1 GROUP BY rule_id, key_id`,
      [sinceSec],
    );
    return new Map(closed.map((r) => [`${r.rule_id}:${r.key_id}`, Number(r.last)]));
  }

  async apply(changes: AlertChanges): Promise<void> {
    const read = changes.read ?? {};
    await withTx(this.pool, async (c) => {
      for (const id of changes.remove) {
        if ((await c.query(`DELETE FROM alert WHERE id = $1 AND updated_at_ms = $2`, [id, read[id] ?? -1])).rowCount === 0) throw new AlertConflictError(id);
      }
      for (const a of rows.upsertOrder(changes)) {
        if (!(a.id in read)) await c.query(SQL.insertAlert, rows.ALERT.values(a));
        else if ((await c.query(SQL.updateAlert, rows.updateValues(rows.ALERT, a, read[a.id]))).rowCount === 0) throw new AlertConflictError(a.id);
      }
      for (const n of changes.notifications) await c.query(SQL.addNotification, rows.NOTIFICATION.values(n));
    });
  }

  async getAlert(id: string): Promise<AlertListItem | null> {
    return rows.orNull((await this.all(`${rows.ALERT_ITEMS} WHERE a.id = $1`, [id]))[0], rows.alertItemOf);
  }

  async listAlerts(f: AlertListFilter): Promise<AlertListItem[]> {
    const { args, bind } = binder();
    return (await this.all(rows.alertListSql(f, bind, inList), args)).map(rows.alertItemOf);
  }

  async claimDue(nowMs: number, limit: number, claimMs: number): Promise<OutboxNotification[]> {
    return (await this.all(SQL.claim, [nowMs + claimMs, nowMs, limit])).map(rows.notificationOf).sort(rows.byDue);
  }

  async recordAttempt(attempt: DeliveryAttempt, outcome: AttemptOutcome): Promise<void> {
    await withTx(this.pool, async (c) => {
      await c.query(SQL.addAttempt, rows.ATTEMPT.values(attempt));
      await c.query(
        `UPDATE alert_notification SET attempts = attempts + 1, last_error = $2, status = $3,
           next_attempt_ms = COALESCE($4, next_attempt_ms), sent_at_ms = COALESCE($5, sent_at_ms), claimed_until = NULL
         WHERE id = $1`,
        [
          attempt.notificationId,
          attempt.error,
          outcome.status,
          outcome.status === "pending" ? outcome.nextAttemptMs : null,
          outcome.status === "sent" ? attempt.atMs : null,
        ],
      );
    });
  }

  async resend(id: string, nowMs: number): Promise<boolean> {
    return this.changed(`UPDATE alert_notification SET status = 'pending', attempts = 0, next_attempt_ms = $2, claimed_until = NULL WHERE id = $1`, [id, nowMs]);
  }

  async getNotification(id: string): Promise<OutboxNotification | null> {
    return rows.orNull((await this.all(`SELECT * FROM alert_notification WHERE id = $1`, [id]))[0], rows.notificationOf);
  }

  async notificationsOf(alertId: string): Promise<OutboxNotification[]> {
    return (await this.all(`SELECT * FROM alert_notification WHERE alert_id = $1 ORDER BY created_at_ms, id`, [alertId])).map(rows.notificationOf);
  }

  async listNotifications(f: { channelId?: string; status?: NotificationStatus; limit: number }): Promise<OutboxNotification[]> {
    const { args, bind } = binder();
    return (await this.all(rows.notificationListSql(f, bind), args)).map(rows.notificationOf);
  }

  async attemptsOf(notificationId: string): Promise<DeliveryAttempt[]> {
    return (await this.all(`SELECT * FROM alert_delivery_attempt WHERE notification_id = $1 ORDER BY at_ms, id`, [notificationId])).map(rows.attemptOf);
  }

  async listSilences(atMs?: number): Promise<Silence[]> {
    const silences = await this.all(`SELECT * FROM alert_silence WHERE ends_at_ms > $1 ORDER BY created_at_ms DESC, id`, [atMs ?? Number.MIN_SAFE_INTEGER]);
    return silences.map(rows.silenceOf);
  }

  async saveSilence(s: Silence): Promise<void> {
    await this.pool.query(SQL.saveSilence, rows.SILENCE.values(s));
  }

  async removeSilence(id: string): Promise<boolean> {
    return this.changed(`DELETE FROM alert_silence WHERE id = $1`, [id]);
  }

  async addFeedItem(item: Omit<FeedItem, "id">): Promise<void> {
    await this.pool.query(SQL.addFeedItem, rows.FEED_ITEM.values(item));
  }

  async listFeed(teams: string[] | null, limit: number): Promise<FeedItem[]> {
    const { args, bind } = binder();
    return (await this.all(rows.feedSql(teams, limit, bind, inList), args)).map(rows.feedItemOf);
  }

  async unreadCount(userId: string, teams: string[] | null): Promise<number> {
    const { args, bind } = binder();
    const [r] = await this.all(rows.unreadSql(userId, teams, bind, inList), args);
    return Number(r.n);
  }

  async markFeedRead(userId: string, toId: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO alert_feed_read (user_id, read_to_id) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET read_to_id = GREATEST(alert_feed_read.read_to_id, excluded.read_to_id)`,
      [userId, toId],
    );
  }
}
