import pg from "pg";

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

// Types as the adapters want them: BIGINT (epoch ms, counts) as numbers, safe below 2^53;
// TIMESTAMP (without zone, as Prisma's schema makes it) read as the UTC it was written in.
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === pg.types.builtins.INT8) return (v: string) => Number(v);
    if (oid === pg.types.builtins.TIMESTAMP) return (v: string) => new Date(`${v.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** A pool for the store: small, since one runner writes and the pages read. */
export function openPool(databaseUrl: string, opts: { max?: number; applicationName?: string } = {}): Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: opts.max ?? 10,
    types,
    application_name: opts.applicationName ?? "inflight",
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its connection (server restart) must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  return pool;
}

/** Runs fn in a transaction on one pooled client: commits on success, rolls back on any error. */
export async function withTx<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** A Date as written to a TIMESTAMP column: UTC wall time (the zone suffix is ignored there). */
export const pgDate = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/**
 * A range bound on an integer column as an integer parameter (a BIGINT parameter refuses "1.5";
 * casting the column instead would lose its index): `col >= x` iff `col >= ceil(x)`, and
 * `col < x` iff `col < ceil(x)`.
 */
export const intBound = (x: number): number => Math.ceil(x);
