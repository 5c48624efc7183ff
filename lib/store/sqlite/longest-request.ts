import type { Statement } from "better-sqlite3";
import type { Sqlite } from "./connection";

/** One prepared statement per connection: it runs for every recompute piece and evidence read. */
const statements = new WeakMap<Sqlite, Statement>();

/** The longest request of a key ever stored (ms; 0 for none): reads of requests overlapping a time look back at least this far. */
export function longestRequestMs(db: Sqlite, keyId: number): number {
  let stmt = statements.get(db);
  if (!stmt) statements.set(db, (stmt = db.prepare("SELECT longest_request_ms FROM key_counter WHERE key_id = ?").pluck()));
  return Number(stmt.get(keyId) ?? 0);
}
