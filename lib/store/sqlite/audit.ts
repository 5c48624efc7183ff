import type { AuditEntry, AuditFilter, AuditRepository, Outcome, StoredAuditEntry } from "../../audit/repository";
import { auditJson as json, auditRow } from "../audit-row";
import type { Sqlite } from "./connection";

export class SqliteAuditRepository implements AuditRepository {
  private readonly stmt;

  constructor(private readonly db: Sqlite) {
    this.stmt = {
      append: db.prepare(
        `INSERT INTO audit_entry (at_ms, actor_kind, actor_id, actor_label, action, key_hash, key_alias, team_id, before, after, reason, outcome, message)
         VALUES (@atMs, @actorKind, @actorId, @actorLabel, @action, @keyHash, @keyAlias, @teamId, @before, @after, @reason, @outcome, @message) RETURNING *`,
      ),
      settle: db.prepare(`UPDATE audit_entry SET outcome = ?, message = ?, after = ? WHERE id = ?`),
      pending: db.prepare(`SELECT * FROM audit_entry WHERE outcome = 'pending' AND at_ms < ? ORDER BY id`),
    };
  }

  async append(e: AuditEntry): Promise<StoredAuditEntry> {
    return auditRow(this.stmt.append.get({ ...e, before: json(e.before), after: json(e.after) }) as Record<string, unknown>);
  }

  async settle(id: number, s: { outcome: Outcome; message: string | null; after: Record<string, unknown> | null }): Promise<void> {
    this.stmt.settle.run(s.outcome, s.message, json(s.after), id);
  }

  async pendingBefore(atMs: number): Promise<StoredAuditEntry[]> {
    return (this.stmt.pending.all(atMs) as Record<string, unknown>[]).map(auditRow);
  }

  async list(f: AuditFilter): Promise<StoredAuditEntry[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, ...v: unknown[]) => (where.push(sql), args.push(...v));
    if (f.keyHash) add("key_hash = ?", f.keyHash);
    if (f.actor) add("instr(lower(actor_label), lower(?)) > 0", f.actor);
    if (f.outcome) add("outcome = ?", f.outcome);
    if (f.fromMs !== undefined) add("at_ms >= ?", f.fromMs);
    if (f.toMs !== undefined) add("at_ms < ?", f.toMs);
    if (f.beforeId !== undefined) add("id < ?", f.beforeId);
    if (f.teams) add(`team_id IN (SELECT value FROM json_each(?))`, JSON.stringify(f.teams));
    const sql = `SELECT * FROM audit_entry ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, f.limit) as Record<string, unknown>[]).map(auditRow);
  }
}
