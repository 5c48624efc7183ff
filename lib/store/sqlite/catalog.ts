import type { CatalogDiff, Limits, StoredKey } from "../../catalog/diff";
import type { CatalogRepository, KeyRef, LimitChange } from "../../catalog/repository";
import type { VirtualKey } from "../../litellm/schemas";
import { num, sqlDate, writeTx, type Sqlite } from "./connection";

const KEY_COLUMNS = `k.id, k.hash, k.alias, k.team_id AS teamId, k.max_parallel_requests AS mpr, k.rpm_limit AS rpm,
  k.tpm_limit AS tpm, k.in_catalog AS inCatalog`;

/** Burst tests' twin keys are Inflight's instruments: never listed, alerted on or counted. */
const NOT_A_TWIN = "NOT EXISTS (SELECT 1 FROM burst_twin t WHERE t.hash = k.hash)";

export function keyRef(r: Record<string, unknown>): KeyRef {
  return {
    id: Number(r.id),
    hash: String(r.hash),
    alias: (r.alias as string | null) ?? null,
    teamId: (r.teamId as string | null) ?? null,
    maxParallelRequests: num(r.mpr),
    rpmLimit: num(r.rpm),
    tpmLimit: num(r.tpm),
    inCatalog: Boolean(r.inCatalog),
  };
}

/** The key catalog and its limit history in SQLite. */
export class SqliteCatalogRepository implements CatalogRepository {
  private readonly stmt;

  constructor(private readonly db: Sqlite) {
    this.stmt = {
      stored: db.prepare(
        `SELECT k.id, k.hash, k.in_catalog AS inCatalog, k.max_parallel_requests AS mpr, k.rpm_limit AS rpm, k.tpm_limit AS tpm,
                c.max_parallel_requests AS cMpr, c.rpm_limit AS cRpm, c.tpm_limit AS cTpm, c.id AS cId
         FROM key k LEFT JOIN key_limit_change c ON c.id = (
           SELECT id FROM key_limit_change WHERE key_id = k.id ORDER BY effective_from_ms DESC, id DESC LIMIT 1)`,
      ),
      upsert: db.prepare(
        `INSERT INTO key (hash, alias, team_id, max_parallel_requests, rpm_limit, tpm_limit, blocked, in_catalog, first_seen_at, last_synced_at)
         VALUES (@hash, @alias, @teamId, @mpr, @rpm, @tpm, @blocked, 1, @now, @now)
         ON CONFLICT (hash) DO UPDATE SET alias = excluded.alias, team_id = excluded.team_id,
           max_parallel_requests = excluded.max_parallel_requests, rpm_limit = excluded.rpm_limit, tpm_limit = excluded.tpm_limit,
           blocked = excluded.blocked, in_catalog = 1, last_synced_at = excluded.last_synced_at`,
      ),
      idOf: db.prepare("SELECT id FROM key WHERE hash = ?").pluck(),
      change: db.prepare(
        `INSERT INTO key_limit_change (key_id, effective_from_ms, max_parallel_requests, rpm_limit, tpm_limit, source)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      setLimits: db.prepare("UPDATE key SET max_parallel_requests = ?, rpm_limit = ?, tpm_limit = ? WHERE hash = ?"),
      remove: db.prepare("UPDATE key SET in_catalog = 0 WHERE hash = ?"),
      byHash: db.prepare(`SELECT ${KEY_COLUMNS} FROM key k WHERE k.hash = ?`),
      listed: db.prepare(
        `SELECT ${KEY_COLUMNS} FROM key k
         WHERE (k.in_catalog = 1 OR EXISTS (SELECT 1 FROM request r WHERE r.key_id = k.id)) AND ${NOT_A_TWIN} ORDER BY k.id`,
      ),
      inCatalog: db.prepare(`SELECT ${KEY_COLUMNS} FROM key k WHERE k.in_catalog = 1 AND ${NOT_A_TWIN} ORDER BY k.id`),
      changes: db.prepare(
        `SELECT key_id AS keyId, effective_from_ms AS f, max_parallel_requests AS mpr, rpm_limit AS rpm, tpm_limit AS tpm, source
         FROM key_limit_change WHERE key_id = ? AND effective_from_ms < ? ORDER BY effective_from_ms, id`,
      ),
    };
  }

  async storedKeys(): Promise<StoredKey[]> {
    return (this.stmt.stored.all() as Record<string, unknown>[]).map((r) => ({
      id: Number(r.id),
      hash: String(r.hash),
      inCatalog: Boolean(r.inCatalog),
      maxParallelRequests: num(r.mpr),
      rpmLimit: num(r.rpm),
      tpmLimit: num(r.tpm),
      lastRecorded: r.cId === null ? null : { maxParallelRequests: num(r.cMpr), rpmLimit: num(r.cRpm), tpmLimit: num(r.cTpm) },
    }));
  }

  async apply(diff: CatalogDiff, seenAtMs: number): Promise<void> {
    const now = sqlDate(new Date(seenAtMs));
    writeTx(this.db, () => {
      for (const k of diff.upserts) this.upsert(k, now);
      for (const c of diff.limitChanges) this.recordChange(c.hash, c.limits, seenAtMs);
      for (const h of diff.removed) this.stmt.remove.run(h);
    });
  }

  async keyByHash(hash: string): Promise<KeyRef | null> {
    const r = this.stmt.byHash.get(hash) as Record<string, unknown> | undefined;
    return r ? keyRef(r) : null;
  }

  async listedKeys(): Promise<KeyRef[]> {
    return (this.stmt.listed.all() as Record<string, unknown>[]).map(keyRef);
  }

  async catalogKeys(): Promise<KeyRef[]> {
    return (this.stmt.inCatalog.all() as Record<string, unknown>[]).map(keyRef);
  }

  async limitChanges(keyIds: number[], toMs: number): Promise<LimitChange[]> {
    const out: LimitChange[] = [];
    for (const id of keyIds) {
      for (const r of this.stmt.changes.all(id, toMs) as Record<string, unknown>[]) {
        out.push({
          keyId: Number(r.keyId),
          fromMs: Number(r.f),
          maxParallelRequests: num(r.mpr),
          rpmLimit: num(r.rpm),
          tpmLimit: num(r.tpm),
          source: String(r.source),
        });
      }
    }
    return out;
  }

  private upsert(k: VirtualKey, now: string) {
    this.stmt.upsert.run({
      hash: k.token,
      alias: k.key_alias,
      teamId: k.team_id,
      mpr: k.max_parallel_requests,
      rpm: k.rpm_limit,
      tpm: k.tpm_limit,
      blocked: k.blocked ? 1 : 0,
      now,
    });
  }

  async recordLimitChange(hash: string, l: Limits, atMs: number, source: "inflight"): Promise<void> {
    writeTx(this.db, () => {
      this.stmt.setLimits.run(l.maxParallelRequests, l.rpmLimit, l.tpmLimit, hash);
      this.recordChange(hash, l, atMs, source);
    });
  }

  private recordChange(hash: string, l: Limits, atMs: number, source = "proxy") {
    const id = this.stmt.idOf.get(hash) as number;
    this.stmt.change.run(id, atMs, l.maxParallelRequests, l.rpmLimit, l.tpmLimit, source);
  }
}
