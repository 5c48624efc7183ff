import type { ApiTokenRepository, ApiTokenRow, InstanceSettingRepository } from "../../accounts/repository";
import type { Role } from "../../accounts/roles";
import { fromSqlDate, sqlDate, type Sqlite } from "./connection";

function tokenRow(r: Record<string, unknown>): ApiTokenRow {
  return {
    id: Number(r.id),
    name: String(r.name),
    prefix: String(r.prefix),
    scope: r.scope as Role,
    createdBy: String(r.created_by),
    createdAt: fromSqlDate(r.created_at)!,
    lastUsedAt: fromSqlDate(r.last_used_at),
    revokedAt: fromSqlDate(r.revoked_at),
  };
}

export class SqliteApiTokenRepository implements ApiTokenRepository {
  private readonly stmt;

  constructor(db: Sqlite) {
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO api_token (name, token_hash, prefix, scope, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (token_hash) DO NOTHING RETURNING *`,
      ),
      use: db.prepare(`UPDATE api_token SET last_used_at = ? WHERE token_hash = ? AND revoked_at IS NULL RETURNING *`),
      list: db.prepare(`SELECT * FROM api_token ORDER BY id DESC`),
      revoke: db.prepare(`UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`),
      revokeOthers: db.prepare(`UPDATE api_token SET revoked_at = ? WHERE created_by = ? AND token_hash <> ? AND revoked_at IS NULL`),
    };
  }

  async insert(t: Parameters<ApiTokenRepository["insert"]>[0]): Promise<ApiTokenRow | null> {
    const r = this.stmt.insert.get(t.name, t.tokenHash, t.prefix, t.scope, t.createdBy, sqlDate(t.createdAt)) as Record<string, unknown> | undefined;
    return r ? tokenRow(r) : null;
  }

  async use(tokenHash: string, at: Date): Promise<ApiTokenRow | null> {
    const r = this.stmt.use.get(sqlDate(at), tokenHash) as Record<string, unknown> | undefined;
    return r ? tokenRow(r) : null;
  }

  async list(): Promise<ApiTokenRow[]> {
    return (this.stmt.list.all() as Record<string, unknown>[]).map(tokenRow);
  }

  async revoke(id: number, at: Date): Promise<boolean> {
    return this.stmt.revoke.run(sqlDate(at), id).changes > 0;
  }

  async revokeOthersOf(createdBy: string, keepHash: string, at: Date): Promise<number> {
    return this.stmt.revokeOthers.run(sqlDate(at), createdBy, keepHash).changes;
  }
}

export class SqliteInstanceSettingRepository implements InstanceSettingRepository {
  private readonly stmt;

  constructor(db: Sqlite) {
    this.stmt = {
      get: db.prepare(`SELECT value FROM instance_setting WHERE key = ?`),
      claim: db.prepare(`INSERT INTO instance_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`),
      release: db.prepare(`DELETE FROM instance_setting WHERE key = ? AND value = ?`),
    };
  }

  async get(key: string): Promise<string | null> {
    const r = this.stmt.get.get(key) as { value: string } | undefined;
    return r?.value ?? null;
  }

  async claim(key: string, value: string): Promise<string> {
    this.stmt.claim.run(key, value);
    return (await this.get(key))!;
  }

  async release(key: string, value: string): Promise<void> {
    this.stmt.release.run(key, value);
  }
}
