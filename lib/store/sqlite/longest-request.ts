import type { Sqlite } from "./connection";

/** The longest request of a key ever stored (ms; 0 for none): reads of requests overlapping a time look back at least this far. */
export function longestRequestMs(db: Sqlite, keyId: number): number {
  return Number(db.prepare("SELECT longest_request_ms FROM key_counter WHERE key_id = ?").pluck().get(keyId) ?? 0);
}
