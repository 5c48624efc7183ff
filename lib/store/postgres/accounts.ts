import type { ApiTokenRepository, ApiTokenRow, InstanceSettingRepository } from "../../accounts/repository";
import type { Role } from "../../accounts/roles";
import { pgDate, type Pool } from "./connection";

function tokenRow(r: Record<string, unknown>): ApiTokenRow {
  return {
    id: Number(r.id),
    name: String(r.name),
    prefix: String(r.prefix),
    scope: r.scope as Role,
    createdBy: String(r.created_by),
    createdAt: r.created_at as Date,
    lastUsedAt: (r.last_used_at as Date | null) ?? null,
    revokedAt: (r.revoked_at as Date | null) ?? null,
  };
}

export class PgApiTokenRepository implements ApiTokenRepository {
  constructor(private readonly pool: Pool) {}

  async insert(t: Parameters<ApiTokenRepository["insert"]>[0]): Promise<ApiTokenRow | null> {
    const { rows } = await this.pool.query(
      `INSERT INTO api_token (name, token_hash, prefix, scope, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6::timestamp)
       ON CONFLICT (token_hash) DO NOTHING RETURNING *`,
      [t.name, t.tokenHash, t.prefix, t.scope, t.createdBy, pgDate(t.createdAt)],
    );
    return rows[0] ? tokenRow(rows[0]) : null;
  }

  async use(tokenHash: string, at: Date): Promise<ApiTokenRow | null> {
    const { rows } = await this.pool.query(`UPDATE api_token SET last_used_at = $1::timestamp WHERE token_hash = $2 AND revoked_at IS NULL RETURNING *`, [
      pgDate(at),
      tokenHash,
    ]);
    return rows[0] ? tokenRow(rows[0]) : null;
  }

  async list(): Promise<ApiTokenRow[]> {
    return (await this.pool.query(`SELECT * FROM api_token ORDER BY id DESC`)).rows.map(tokenRow);
  }

  async revokeOthersOf(createdBy: string, keepHash: string, at: Date): Promise<number> {
    const r = await this.pool.query(`UPDATE api_token SET revoked_at = $1::timestamp WHERE created_by = $2 AND token_hash <> $3 AND revoked_at IS NULL`, [
      pgDate(at),
      createdBy,
      keepHash,
    ]);
    return r.rowCount ?? 0;
  }

  async revoke(id: number, at: Date): Promise<boolean> {
    const r = await this.pool.query(`UPDATE api_token SET revoked_at = $1::timestamp WHERE id = $2 AND revoked_at IS NULL`, [pgDate(at), id]);
    return (r.rowCount ?? 0) > 0;
  }
}

export class PgInstanceSettingRepository implements InstanceSettingRepository {
  constructor(private readonly pool: Pool) {}

  async get(key: string): Promise<string | null> {
    const { rows } = await this.pool.query(`SELECT value FROM instance_setting WHERE key = $1`, [key]);
    return rows[0]?.value ?? null;
  }

  async claim(key: string, value: string): Promise<string> {
    await this.pool.query(`INSERT INTO instance_setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [key, value]);
    return (await this.get(key))!;
  }

  async release(key: string, value: string): Promise<void> {
    await this.pool.query(`DELETE FROM instance_setting WHERE key = $1 AND value = $2`, [key, value]);
  }
}
