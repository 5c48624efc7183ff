import type { AuditEntry, AuditFilter, AuditRepository, Outcome, StoredAuditEntry } from "../../audit/repository";
import { auditJson as json, auditRow } from "../audit-row";
import type { Pool } from "./connection";

export class PgAuditRepository implements AuditRepository {
  constructor(private readonly pool: Pool) {}

  async append(e: AuditEntry): Promise<StoredAuditEntry> {
    const { rows } = await this.pool.query(
      `INSERT INTO audit_entry (at_ms, actor_kind, actor_id, actor_label, action, key_hash, key_alias, team_id, before, after, reason, outcome, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
      [e.atMs, e.actorKind, e.actorId, e.actorLabel, e.action, e.keyHash, e.keyAlias, e.teamId, json(e.before), json(e.after), e.reason, e.outcome, e.message],
    );
    return auditRow(rows[0]);
  }

  async settle(id: number, s: { outcome: Outcome; message: string | null; after: Record<string, unknown> | null }): Promise<void> {
    await this.pool.query(`UPDATE audit_entry SET outcome = $1, message = $2, after = $3 WHERE id = $4`, [s.outcome, s.message, json(s.after), id]);
  }

  async pendingBefore(atMs: number): Promise<StoredAuditEntry[]> {
    return (await this.pool.query(`SELECT * FROM audit_entry WHERE outcome = 'pending' AND at_ms < $1 ORDER BY id`, [atMs])).rows.map(auditRow);
  }

  async list(f: AuditFilter): Promise<StoredAuditEntry[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: (n: string) => string, v: unknown) => (args.push(v), where.push(sql(`$${args.length}`)));
    if (f.keyHash) add((n) => `key_hash = ${n}`, f.keyHash);
    if (f.actor) add((n) => `strpos(lower(actor_label), lower(${n})) > 0`, f.actor);
    if (f.outcome) add((n) => `outcome = ${n}`, f.outcome);
    if (f.fromMs !== undefined) add((n) => `at_ms >= ${n}`, f.fromMs);
    if (f.toMs !== undefined) add((n) => `at_ms < ${n}`, f.toMs);
    if (f.beforeId !== undefined) add((n) => `id < ${n}`, f.beforeId);
    if (f.teams) add((n) => `team_id = ANY(${n}::text[])`, f.teams);
    args.push(f.limit);
    const sql = `SELECT * FROM audit_entry ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT $${args.length}`;
    return (await this.pool.query(sql, args)).rows.map(auditRow);
  }
}
