// The `request` table and the ingest cursor read straight from the database, beside the store's
// own reads: what a test needs to prove each request is stored once (the store's reads count
// through the series, which would hide a request stored twice under another key or start).
import pg from "pg";
import { openSqlite } from "../../lib/store/sqlite/connection";
import { dialectOf } from "../../lib/store/url";

/** One stored request row: a request stored twice is two of these. */
export interface StoredRequestRow {
  keyHash: string;
  startMs: number;
  requestId: string;
}

export interface RequestTableReader {
  /** Every row of `request` with its key's hash, sorted by (hash, start, request id) the same way on both stores. */
  rows(): Promise<StoredRequestRow[]>;
  /** How many rows `request` holds. */
  count(): Promise<number>;
  /** Rows that started at or after `ms` (read per key along the (key, start) primary key). */
  countStartedSince(ms: number): Promise<number>;
  /** The `spend-logs` ingest cursor, or null before the first one is written. */
  cursor(): Promise<{ completeBeforeMs: number; endWatermarkMs: number } | null>;
  close(): Promise<void>;
}

const ROWS = `SELECT k.hash AS hash, r.start_ms AS start_ms, r.request_id AS request_id
  FROM request r JOIN key k ON k.id = r.key_id`;
const COUNT = "SELECT count(*) AS n FROM request";
const SINCE = "SELECT count(*) AS n FROM key k JOIN request r ON r.key_id = k.id AND r.start_ms >= ";
const CURSOR = "SELECT complete_before_ms AS c, end_watermark_ms AS w FROM ingest_cursor WHERE source = 'spend-logs'";

type Raw = Record<string, unknown>;

/** Orders rows by (hash, start, request id) by code unit, whatever the database's collation. */
export function compareStoredRows(a: StoredRequestRow, b: StoredRequestRow): number {
  if (a.keyHash !== b.keyHash) return a.keyHash < b.keyHash ? -1 : 1;
  if (a.startMs !== b.startMs) return a.startMs - b.startMs;
  return a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0;
}
const toRow = (r: Raw): StoredRequestRow => ({ keyHash: String(r.hash), startMs: Number(r.start_ms), requestId: String(r.request_id) });
const toCursor = (r: Raw | undefined) => (r ? { completeBeforeMs: Number(r.c), endWatermarkMs: Number(r.w) } : null);
const whole = (ms: number) => {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`not a whole ms: ${ms}`);
  return ms;
};

/** A reader of the store at `url` (SQLite or Postgres) on its own connection. */
export async function openRequestTableReader(url: string): Promise<RequestTableReader> {
  if (dialectOf(url) === "sqlite") {
    const db = openSqlite(url);
    return {
      rows: async () => (db.prepare(ROWS).all() as Raw[]).map(toRow).sort(compareStoredRows),
      count: async () => Number((db.prepare(COUNT).get() as Raw).n),
      countStartedSince: async (ms) => Number((db.prepare(SINCE + whole(ms)).get() as Raw).n),
      cursor: async () => toCursor(db.prepare(CURSOR).get() as Raw | undefined),
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    rows: async () => (await client.query(ROWS)).rows.map(toRow).sort(compareStoredRows),
    count: async () => Number((await client.query(COUNT)).rows[0].n),
    countStartedSince: async (ms) => Number((await client.query(SINCE + whole(ms))).rows[0].n),
    cursor: async () => toCursor((await client.query(CURSOR)).rows[0]),
    close: () => client.end(),
  };
}
