import type { BurstRunRepository, BurstRunRow, BurstRunSummary, MetadataRestore, NewBurstRun, RunState } from "../../burst/repository";
import type { BurstProgress } from "../../burst/fire";
import { burstJson as json, burstRow, burstSummaryRow, SUMMARY_COLUMNS } from "../burst-row";
import type { Sqlite } from "./connection";

export class SqliteBurstRunRepository implements BurstRunRepository {
  private readonly stmt;

  constructor(private readonly db: Sqlite) {
    this.stmt = {
      create: db.prepare(
        `INSERT INTO burst_run (id, key_hash, key_alias, team_id, actor_label, audit_id, state, target, plan, started_ms, heartbeat_ms)
         VALUES (@id, @keyHash, @keyAlias, @teamId, @actorLabel, @auditId, 'running', @target, @plan, @startedMs, @startedMs)`,
      ),
      heartbeat: db.prepare(`UPDATE burst_run SET heartbeat_ms = ?, progress = coalesce(?, progress) WHERE id = ? AND state = 'running' RETURNING cancel_requested`),
      twin: db.prepare(`UPDATE burst_run SET twin_hash = ? WHERE id = ?`),
      instrument: db.prepare(`INSERT INTO burst_twin (hash, twin_of, created_ms) SELECT ?, key_hash, ? FROM burst_run WHERE id = ? ON CONFLICT (hash) DO NOTHING`),
      restore: db.prepare(`UPDATE burst_run SET restore = ? WHERE id = ?`),
      finish: db.prepare(`UPDATE burst_run SET state = ?, ended_ms = ?, verdict = ?, report = ?, message = ? WHERE id = ? AND state = 'running'`),
      report: db.prepare(`UPDATE burst_run SET verdict = ?, report = ? WHERE id = ?`),
      cancel: db.prepare(`UPDATE burst_run SET cancel_requested = 1 WHERE id = ? AND state = 'running'`),
      get: db.prepare(`SELECT * FROM burst_run WHERE id = ?`),
      list: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM burst_run WHERE key_hash = ? ORDER BY started_ms DESC, id LIMIT ?`),
      repair: db.prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM burst_run
         WHERE (state = 'running' AND heartbeat_ms < ?) OR (state <> 'running' AND (twin_hash IS NOT NULL OR restore IS NOT NULL))
         ORDER BY started_ms`,
      ),
    };
  }

  async create(run: NewBurstRun): Promise<void> {
    this.stmt.create.run({ ...run, plan: json(run.plan) });
  }

  async heartbeat(id: string, progress: BurstProgress | null, atMs: number): Promise<{ cancelRequested: boolean; running: boolean }> {
    const row = this.stmt.heartbeat.get(atMs, json(progress), id) as { cancel_requested: number } | undefined;
    return { cancelRequested: Boolean(row?.cancel_requested), running: row !== undefined };
  }

  async twinCreated(id: string, twinHash: string, atMs: number): Promise<void> {
    this.db.transaction(() => {
      this.stmt.twin.run(twinHash, id);
      this.stmt.instrument.run(twinHash, atMs, id);
    })();
  }

  async twinDeleted(id: string): Promise<void> {
    this.stmt.twin.run(null, id);
  }

  async setRestore(id: string, restore: MetadataRestore | null): Promise<void> {
    this.stmt.restore.run(json(restore), id);
  }

  async finish(id: string, end: { state: Exclude<RunState, "running">; endedMs: number; verdict: string | null; report: unknown; message: string | null }): Promise<boolean> {
    return this.stmt.finish.run(end.state, end.endedMs, end.verdict, json(end.report), end.message, id).changes > 0;
  }

  async updateReport(id: string, verdict: string, report: unknown): Promise<void> {
    this.stmt.report.run(verdict, json(report), id);
  }

  async requestCancel(id: string): Promise<boolean> {
    return this.stmt.cancel.run(id).changes > 0;
  }

  async get(id: string): Promise<BurstRunRow | null> {
    const r = this.stmt.get.get(id) as Record<string, unknown> | undefined;
    return r ? burstRow(r) : null;
  }

  async listForKey(keyHash: string, limit: number): Promise<BurstRunSummary[]> {
    return (this.stmt.list.all(keyHash, limit) as Record<string, unknown>[]).map(burstSummaryRow);
  }

  async needingRepair(heartbeatBeforeMs: number): Promise<BurstRunSummary[]> {
    return (this.stmt.repair.all(heartbeatBeforeMs) as Record<string, unknown>[]).map(burstSummaryRow);
  }
}
