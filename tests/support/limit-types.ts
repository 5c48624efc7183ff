// The `rejected` and `limit_type` columns of stored requests, read straight from the database: the
// store's own reads only count 429s (through the series and counters), never name a row's type.
import pg from "pg";
import { openSqlite } from "../../lib/store/sqlite/connection";
import { dialectOf } from "../../lib/store/url";

export interface StoredLimitType {
  rejected: boolean;
  limitType: string | null;
}

const SQL = "SELECT r.request_id, r.rejected, r.limit_type FROM request r JOIN key k ON k.id = r.key_id WHERE k.hash = $1";

/** Per request id of one key (by hash), its stored `rejected` and `limit_type`, from the store at `url`. */
export async function storedLimitTypes(url: string, hash: string): Promise<Record<string, StoredLimitType>> {
  let rows: Record<string, unknown>[];
  if (dialectOf(url) === "sqlite") {
    const db = openSqlite(url);
    try {
      rows = db.prepare(SQL.replace("$1", "?")).all(hash) as Record<string, unknown>[];
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      rows = (await client.query(SQL, [hash])).rows;
    } finally {
      await client.end();
    }
  }
  const out: Record<string, StoredLimitType> = {};
  for (const r of rows) out[String(r.request_id)] = { rejected: Boolean(r.rejected), limitType: r.limit_type === null ? null : String(r.limit_type) };
  return out;
}
