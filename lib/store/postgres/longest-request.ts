import type { Pool } from "./connection";

/** The longest request of a key ever stored (ms; 0 for none): reads of requests overlapping a time look back at least this far. */
export async function longestRequestMs(pool: Pool, keyId: number): Promise<number> {
  const { rows } = await pool.query("SELECT longest_request_ms AS ms FROM key_counter WHERE key_id = $1", [keyId]);
  return rows.length ? Number(rows[0].ms) : 0;
}
