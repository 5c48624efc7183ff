// The key catalog and its limit history on Postgres. A sync writes hundreds of keys: each part of
// the diff is one multi-row statement (unnest of column arrays), not a statement per key; the
// reads that take many keys are one query each.
import type { CatalogDiff, Limits, StoredKey } from "../../catalog/diff";
import type { CatalogRepository, KeyRef, LimitChange } from "../../catalog/repository";
import type { VirtualKey } from "../../litellm/schemas";
import { pgDate, withTx, type Pool } from "./connection";

const KEY_COLUMNS = `k.id, k.hash, k.alias, k.team_id, k.max_parallel_requests AS mpr, k.rpm_limit AS rpm, k.tpm_limit AS tpm, k.in_catalog`;

/** Burst tests' twin keys are Inflight's instruments: never listed, alerted on or counted. */
const NOT_A_TWIN = "NOT EXISTS (SELECT 1 FROM burst_twin t WHERE t.hash = k.hash)";

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function keyRef(r: Row): KeyRef {
  return {
    id: Number(r.id),
    hash: String(r.hash),
    alias: (r.alias as string | null) ?? null,
    teamId: (r.team_id as string | null) ?? null,
    maxParallelRequests: num(r.mpr),
    rpmLimit: num(r.rpm),
    tpmLimit: num(r.tpm),
    inCatalog: Boolean(r.in_catalog),
  };
}

/** The last entry per hash wins (as upserting them in turn would), at its first position. */
function lastPerHash(keys: VirtualKey[]): VirtualKey[] {
  const byHash = new Map<string, VirtualKey>();
  for (const k of keys) byHash.set(k.token, k);
  return [...byHash.values()];
}

export class PgCatalogRepository implements CatalogRepository {
  constructor(private readonly pool: Pool) {}

  async storedKeys(): Promise<StoredKey[]> {
    const { rows } = await this.pool.query(
      `SELECT k.id, k.hash, k.in_catalog, k.max_parallel_requests AS mpr, k.rpm_limit AS rpm, k.tpm_limit AS tpm,
              c.id AS c_id, c.max_parallel_requests AS c_mpr, c.rpm_limit AS c_rpm, c.tpm_limit AS c_tpm
       FROM key k LEFT JOIN LATERAL (
         SELECT id, max_parallel_requests, rpm_limit, tpm_limit FROM key_limit_change
         WHERE key_id = k.id ORDER BY effective_from_ms DESC, id DESC LIMIT 1) c ON true
       ORDER BY k.id`,
    );
    return rows.map((r: Row) => ({
      id: Number(r.id),
      hash: String(r.hash),
      inCatalog: Boolean(r.in_catalog),
      maxParallelRequests: num(r.mpr),
      rpmLimit: num(r.rpm),
      tpmLimit: num(r.tpm),
      lastRecorded: r.c_id === null ? null : { maxParallelRequests: num(r.c_mpr), rpmLimit: num(r.c_rpm), tpmLimit: num(r.c_tpm) },
    }));
  }

  async apply(diff: CatalogDiff, seenAtMs: number): Promise<void> {
    const now = pgDate(new Date(seenAtMs));
    const upserts = lastPerHash(diff.upserts);
    await withTx(this.pool, async (c) => {
      if (upserts.length) {
        await c.query(
          `INSERT INTO key (hash, alias, team_id, max_parallel_requests, rpm_limit, tpm_limit, blocked, in_catalog, first_seen_at, last_synced_at)
           SELECT u.hash, u.alias, u.team_id, u.mpr, u.rpm, u.tpm, u.blocked, true, $8::timestamp, $8::timestamp
           FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::bigint[], $7::bool[])
             WITH ORDINALITY AS u(hash, alias, team_id, mpr, rpm, tpm, blocked, ord)
           ORDER BY u.ord
           ON CONFLICT (hash) DO UPDATE SET alias = excluded.alias, team_id = excluded.team_id,
             max_parallel_requests = excluded.max_parallel_requests, rpm_limit = excluded.rpm_limit, tpm_limit = excluded.tpm_limit,
             blocked = excluded.blocked, in_catalog = true, last_synced_at = excluded.last_synced_at`,
          [
            upserts.map((k) => k.token),
            upserts.map((k) => k.key_alias),
            upserts.map((k) => k.team_id),
            upserts.map((k) => k.max_parallel_requests),
            upserts.map((k) => k.rpm_limit),
            upserts.map((k) => k.tpm_limit),
            upserts.map((k) => Boolean(k.blocked)),
            now,
          ],
        );
      }
      if (diff.limitChanges.length) {
        const ch = diff.limitChanges;
        const res = await c.query(
          `INSERT INTO key_limit_change (key_id, effective_from_ms, max_parallel_requests, rpm_limit, tpm_limit, source)
           SELECT k.id, $1, u.mpr, u.rpm, u.tpm, 'proxy'
           FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[]) WITH ORDINALITY AS u(hash, mpr, rpm, tpm, ord)
           JOIN key k ON k.hash = u.hash
           ORDER BY u.ord`,
          [
            seenAtMs,
            ch.map((x) => x.hash),
            ch.map((x) => x.limits.maxParallelRequests),
            ch.map((x) => x.limits.rpmLimit),
            ch.map((x) => x.limits.tpmLimit),
          ],
        );
        // As on SQLite, a change for a key the store lacks fails the whole sync.
        if (res.rowCount !== ch.length) throw new Error(`catalog sync: ${ch.length - (res.rowCount ?? 0)} limit change(s) for keys not stored`);
      }
      if (diff.removed.length) await c.query("UPDATE key SET in_catalog = false WHERE hash = ANY($1::text[])", [diff.removed]);
    });
  }

  async recordLimitChange(hash: string, l: Limits, atMs: number, source: "inflight"): Promise<void> {
    await withTx(this.pool, async (c) => {
      const { rows } = await c.query(`UPDATE key SET max_parallel_requests = $1, rpm_limit = $2, tpm_limit = $3 WHERE hash = $4 RETURNING id`, [
        l.maxParallelRequests,
        l.rpmLimit,
        l.tpmLimit,
        hash,
      ]);
      if (!rows.length) throw new Error(`limit change for a key not stored: ${hash.slice(0, 8)}…`);
      await c.query(
        `INSERT INTO key_limit_change (key_id, effective_from_ms, max_parallel_requests, rpm_limit, tpm_limit, source) VALUES ($1, $2, $3, $4, $5, $6)`,
        [rows[0].id, atMs, l.maxParallelRequests, l.rpmLimit, l.tpmLimit, source],
      );
    });
  }

  async keyByHash(hash: string): Promise<KeyRef | null> {
    const { rows } = await this.pool.query(`SELECT ${KEY_COLUMNS} FROM key k WHERE k.hash = $1`, [hash]);
    return rows.length ? keyRef(rows[0]) : null;
  }

  async listedKeys(): Promise<KeyRef[]> {
    // The EXISTS probes the (key_id, start_ms, request_id) key of each request partition.
    const { rows } = await this.pool.query(
      `SELECT ${KEY_COLUMNS} FROM key k
       WHERE (k.in_catalog OR EXISTS (SELECT 1 FROM request r WHERE r.key_id = k.id)) AND ${NOT_A_TWIN} ORDER BY k.id`,
    );
    return rows.map(keyRef);
  }

  async catalogKeys(): Promise<KeyRef[]> {
    const { rows } = await this.pool.query(`SELECT ${KEY_COLUMNS} FROM key k WHERE k.in_catalog AND ${NOT_A_TWIN} ORDER BY k.id`);
    return rows.map(keyRef);
  }

  async limitChanges(keyIds: number[], toMs: number): Promise<LimitChange[]> {
    if (keyIds.length === 0) return [];
    // One query for every key; per key (in the order asked) oldest first, as the SQLite adapter returns them.
    const { rows } = await this.pool.query(
      `SELECT c.key_id, c.effective_from_ms AS f, c.max_parallel_requests AS mpr, c.rpm_limit AS rpm, c.tpm_limit AS tpm, c.source
       FROM unnest($1::int[]) WITH ORDINALITY AS q(key_id, ord)
       JOIN key_limit_change c ON c.key_id = q.key_id AND c.effective_from_ms < $2
       ORDER BY q.ord, c.effective_from_ms, c.id`,
      [keyIds, toMs],
    );
    return rows.map((r: Row) => ({
      keyId: Number(r.key_id),
      fromMs: Number(r.f),
      maxParallelRequests: num(r.mpr),
      rpmLimit: num(r.rpm),
      tpmLimit: num(r.tpm),
      source: String(r.source),
    }));
  }
}
