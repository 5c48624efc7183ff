import type { BurstRunRepository, BurstRunRow, BurstRunSummary, MetadataRestore, NewBurstRun, RunState } from "../../burst/repository";
import type { BurstProgress } from "../../burst/fire";
import { burstJson as json, burstRow, burstSummaryRow, SUMMARY_COLUMNS } from "../burst-row";
import type { Pool } from "./connection";

export class PgBurstRunRepository implements BurstRunRepository {
  constructor(private readonly pool: Pool) {}

  async create(r: NewBurstRun): Promise<void> {
    await this.pool.query(
      `INSERT INTO burst_run (id, key_hash, key_alias, team_id, actor_label, audit_id, state, target, plan, started_ms, heartbeat_ms)
       VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8, $9, $9)`,
      [r.id, r.keyHash, r.keyAlias, r.teamId, r.actorLabel, r.auditId, r.target, json(r.plan), r.startedMs],
    );
  }

  async heartbeat(id: string, progress: BurstProgress | null, atMs: number): Promise<{ cancelRequested: boolean; running: boolean }> {
    const { rows } = await this.pool.query(`UPDATE burst_run SET heartbeat_ms = $1, progress = coalesce($2, progress) WHERE id = $3 AND state = 'running' RETURNING cancel_requested`, [
      atMs,
      json(progress),
      id,
    ]);
    return { cancelRequested: Boolean(rows[0]?.cancel_requested), running: rows.length > 0 };
  }

  async twinCreated(id: string, twinHash: string, atMs: number): Promise<void> {
    // One statement, so both land or neither.
    await this.pool.query(
      `WITH run AS (UPDATE burst_run SET twin_hash = $1 WHERE id = $2 RETURNING key_hash)
       INSERT INTO burst_twin (hash, twin_of, created_ms) SELECT $1, key_hash, $3 FROM run ON CONFLICT (hash) DO NOTHING`,
      [twinHash, id, atMs],
    );
  }

  async twinDeleted(id: string): Promise<void> {
    await this.pool.query(`UPDATE burst_run SET twin_hash = NULL WHERE id = $1`, [id]);
  }

  async setRestore(id: string, restore: MetadataRestore | null): Promise<void> {
    await this.pool.query(`UPDATE burst_run SET restore = $1 WHERE id = $2`, [json(restore), id]);
  }

  async finish(id: string, end: { state: Exclude<RunState, "running">; endedMs: number; verdict: string | null; report: unknown; message: string | null }): Promise<boolean> {
    const r = await this.pool.query(`UPDATE burst_run SET state = $1, ended_ms = $2, verdict = $3, report = $4, message = $5 WHERE id = $6 AND state = 'running'`, [
      end.state,
      end.endedMs,
      end.verdict,
      json(end.report),
      end.message,
      id,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async updateReport(id: string, verdict: string, report: unknown): Promise<void> {
    await this.pool.query(`UPDATE burst_run SET verdict = $1, report = $2 WHERE id = $3`, [verdict, json(report), id]);
  }

  async requestCancel(id: string): Promise<boolean> {
    const r = await this.pool.query(`UPDATE burst_run SET cancel_requested = true WHERE id = $1 AND state = 'running'`, [id]);
    return (r.rowCount ?? 0) > 0;
  }

  async get(id: string): Promise<BurstRunRow | null> {
    const { rows } = await this.pool.query(`SELECT * FROM burst_run WHERE id = $1`, [id]);
    return rows[0] ? burstRow(rows[0]) : null;
  }

  async listForKey(keyHash: string, limit: number): Promise<BurstRunSummary[]> {
    const { rows } = await this.pool.query(`SELECT ${SUMMARY_COLUMNS} FROM burst_run WHERE key_hash = $1 ORDER BY started_ms DESC, id LIMIT $2`, [keyHash, limit]);
    return rows.map(burstSummaryRow);
  }

  async needingRepair(heartbeatBeforeMs: number): Promise<BurstRunSummary[]> {
    const { rows } = await this.pool.query(
      `SELECT ${SUMMARY_COLUMNS} FROM burst_run
       WHERE (state = 'running' AND heartbeat_ms < $1) OR (state <> 'running' AND (twin_hash IS NOT NULL OR restore IS NOT NULL))
       ORDER BY started_ms`,
      [heartbeatBeforeMs],
    );
    return rows.map(burstSummaryRow);
  }
}
