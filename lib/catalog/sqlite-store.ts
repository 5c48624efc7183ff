import type { VirtualKey } from "../litellm/schemas";
import { sqlDate, writeTx, type Sqlite } from "../store/sqlite";
import type { CatalogDiff, Limits, StoredKey } from "./diff";

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The key catalog and its limit history in SQLite. */
export class SqliteCatalogStore {
  private readonly stmt;

  constructor(private readonly db: Sqlite) {
    this.stmt = {
      all: db.prepare(
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
           blocked = excluded.blocked, in_catalog = 1, last_synced_at = excluded.last_synced_at
         RETURNING id`,
      ).pluck(),
      idOf: db.prepare("SELECT id FROM key WHERE hash = ?").pluck(),
      change: db.prepare(
        `INSERT INTO key_limit_change (key_id, effective_from_ms, max_parallel_requests, rpm_limit, tpm_limit, source)
         VALUES (?, ?, ?, ?, ?, 'proxy')`,
      ),
      remove: db.prepare("UPDATE key SET in_catalog = 0 WHERE hash = ?"),
      hashes: db.prepare("SELECT id, hash FROM key WHERE in_catalog = 1 ORDER BY id"),
    };
  }

  storedKeys(): StoredKey[] {
    return (this.stmt.all.all() as Record<string, unknown>[]).map((r) => ({
      id: Number(r.id),
      hash: String(r.hash),
      inCatalog: Boolean(r.inCatalog),
      maxParallelRequests: num(r.mpr),
      rpmLimit: num(r.rpm),
      tpmLimit: num(r.tpm),
      lastRecorded: r.cId === null ? null : { maxParallelRequests: num(r.cMpr), rpmLimit: num(r.cRpm), tpmLimit: num(r.cTpm) },
    }));
  }

  /** Applies a sync in one transaction; limit changes take effect at `seenAtMs`, when Inflight saw them. */
  apply(diff: CatalogDiff, seenAtMs: number): void {
    const now = sqlDate(new Date(seenAtMs));
    writeTx(this.db, () => {
      for (const k of diff.upserts) this.upsert(k, now);
      for (const c of diff.limitChanges) this.recordChange(c.hash, c.limits, seenAtMs);
      for (const h of diff.removed) this.stmt.remove.run(h);
    });
  }

  /** Catalog keys as (id, hash), for the limiter sampler. */
  catalogKeys(): { id: number; hash: string }[] {
    return (this.stmt.hashes.all() as { id: number; hash: string }[]).map((r) => ({ id: Number(r.id), hash: r.hash }));
  }

  private upsert(k: VirtualKey, now: string) {
    this.stmt.upsert.get({
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

  private recordChange(hash: string, l: Limits, atMs: number) {
    const id = this.stmt.idOf.get(hash) as number;
    this.stmt.change.run(id, atMs, l.maxParallelRequests, l.rpmLimit, l.tpmLimit);
  }
}
