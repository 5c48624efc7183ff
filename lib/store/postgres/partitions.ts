// Time partitions of the Postgres store's four big tables (request, series_1s, series_1m,
// limiter_sample are PARTITION BY RANGE on their time column and start with no partition).
//
// Why partitions: a large proxy writes ~86 M request rows a day; retention then drops whole
// partitions (cheap, no dead tuples, no VACUUM debt) instead of deleting rows.
//
// Creating: a partition is created on demand, before a write reaches a range none covers, outside
// the write's transaction; which ranges exist is cached per table, so a write into covered time
// costs no query. Not `CREATE TABLE ... PARTITION OF`: that takes ACCESS EXCLUSIVE on the parent,
// so it waits behind any running read of the table (a dashboard query) and, while it waits, every
// new read and write queues behind it (measured: it hits a 1 s lock_timeout behind one open
// SELECT). Instead `CREATE TABLE <table>_p<start> (LIKE <table> INCLUDING ALL)` then `ALTER TABLE
// <table> ATTACH PARTITION`, which takes only SHARE UPDATE EXCLUSIVE on the parent (does not
// conflict with reads or writes; the new table is empty, so the bound check is instant), both in one
// transaction under a per-table advisory lock: a second Inflight creating the same range waits and
// then finds it (and a crash leaves no half-made partition). A range is cut to the gap between
// existing partitions, so partitions made under another span never make creation fail.
//
// Dropping (retention): `ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY`, then `DROP TABLE` of
// the detached table. A plain DROP of a partition also takes ACCESS EXCLUSIVE on the parent (same
// queueing as above, every 10 minutes); DETACH CONCURRENTLY takes SHARE UPDATE EXCLUSIVE and waits
// for the queries using the partition instead of blocking anyone, and the DROP then locks only the
// detached table. A detach interrupted half way (left "detach pending") is FINALIZEd first by the
// next run (then dropped, or attached again if its range is no longer expired); a table detached
// but not dropped (crash in between) is dropped by the next run.
import type { Pool, PoolClient } from "./connection";

export interface PartitionSpec {
  /** The partitioned table. */
  table: string;
  /** Its RANGE partition key: epoch milliseconds or seconds. */
  column: string;
  unit: "ms" | "s";
  /** Span of one partition, aligned to epoch multiples of it (a day span starts at 00:00 UTC). */
  spanMs: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The spans. request and series_1s: one UTC day (a day of a large proxy's requests is ~86 M rows).
 * limiter_sample: one UTC hour (~1 row per key per second, kept hours). series_1m: one UTC day, not
 * 30: data is kept at least the policy and at most one span more, and the store contract expects
 * minutes 10 days old gone under a 7-day policy, which a 30-day span cannot do (a day-span table of
 * the 90-day default is ~90 partitions of ~1,440 rows per key).
 */
export const PARTITIONED = {
  request: { table: "request", column: "start_ms", unit: "ms", spanMs: DAY_MS },
  series1s: { table: "series_1s", column: "sec", unit: "s", spanMs: DAY_MS },
  series1m: { table: "series_1m", column: "minute", unit: "s", spanMs: DAY_MS },
  series1h: { table: "series_1h", column: "hour", unit: "s", spanMs: DAY_MS },
  samples: { table: "limiter_sample", column: "at_ms", unit: "ms", spanMs: HOUR_MS },
} as const satisfies Record<string, PartitionSpec>;

/** One partition: values in [from, to) of the partition key (the table's unit). */
export interface Partition {
  name: string;
  from: number;
  to: number;
  /** Left by an interrupted DETACH CONCURRENTLY: still listed, no longer used by new queries. */
  detachPending: boolean;
}

// Advisory lock keys: (namespace, hashtext(table)). Any constant unique to Inflight.
const LOCK_NAMESPACE = 0x1f11_a7e2;
/** How long one attempt waits for a lock on the parent before giving way to the queries queued behind it. */
const LOCK_TIMEOUT = "3s";
const LOCK_ATTEMPTS = 5;

/** A Postgres error's SQLSTATE. */
export const sqlState = (e: unknown): string | undefined => (e as { code?: string } | null)?.code;

/** "no partition of relation ... found for row": a write reached a range without a partition. */
export const NO_PARTITION = "23514";
const LOCK_NOT_AVAILABLE = "55P03";

const unitMs = (spec: PartitionSpec) => (spec.unit === "ms" ? 1 : 1000);
/** The span in the partition key's unit. */
export const spanOf = (spec: PartitionSpec) => spec.spanMs / unitMs(spec);

/** `<table>_p<UTC start>`: yyyymmdd for a range starting at midnight, yyyymmddhh at an hour, else to the second. */
export function partitionName(spec: PartitionSpec, from: number): string {
  const ms = from * unitMs(spec);
  const iso = new Date(ms).toISOString(); // 2026-12-02T16:00:00.000Z
  const day = iso.slice(0, 10).replaceAll("-", "");
  const hh = iso.slice(11, 13);
  const rest = iso.slice(14, 16) + iso.slice(17, 19);
  const stamp = ms % DAY_MS === 0 ? day : ms % HOUR_MS === 0 ? day + hh : day + hh + rest;
  return `${spec.table}_p${stamp}`;
}

const BOUND = /FROM \('?(-?\d+|MINVALUE)'?\) TO \('?(-?\d+|MAXVALUE)'?\)/;

/** Parses `FOR VALUES FROM ('a') TO ('b')` (MINVALUE/MAXVALUE as infinities); null for DEFAULT. */
export function parseBound(expr: string): { from: number; to: number } | null {
  const m = BOUND.exec(expr);
  if (!m) return null;
  return { from: m[1] === "MINVALUE" ? -Infinity : Number(m[1]), to: m[2] === "MAXVALUE" ? Infinity : Number(m[2]) };
}

const boundSql = (v: number) => (Number.isFinite(v) ? String(v) : v < 0 ? "MINVALUE" : "MAXVALUE");

/** A table's partitions, from the catalog, by start. */
export async function listPartitions(q: Pool | PoolClient, table: string): Promise<Partition[]> {
  const { rows } = await q.query<{ name: string; bound: string; pending: boolean }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound, i.inhdetachpending AS pending
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = to_regclass($1)`,
    [table],
  );
  const out: Partition[] = [];
  for (const r of rows) {
    const b = parseBound(r.bound);
    if (b) out.push({ name: r.name, ...b, detachPending: r.pending });
  }
  return out.sort((a, b) => a.from - b.from);
}

/** Whether value lies in one of the ranges (sorted by start). */
function covered(ranges: { from: number; to: number }[], v: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid];
    if (v < r.from) hi = mid - 1;
    else if (v >= r.to) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The span-aligned range holding v, cut to the gap between the existing partitions around it. */
export function rangeFor(spec: PartitionSpec, existing: { from: number; to: number }[], v: number): { from: number; to: number } {
  const span = spanOf(spec);
  let from = Math.floor(v / span) * span;
  let to = from + span;
  for (const r of existing) {
    if (r.to <= v && r.to > from) from = r.to;
    if (r.from > v && r.from < to) to = r.from;
  }
  return { from, to };
}

/**
 * The partitions of one store's tables: creates what writes need, drops what retention lets go.
 * One per Store (its cache is per process; another process's drops are noticed when a write fails
 * for want of a partition: see `writing`).
 */
export class Partitions {
  /** Per table: the ranges known to exist, sorted by start. Absent: not read from the catalog yet. */
  private readonly known = new Map<string, { from: number; to: number }[]>();

  constructor(private readonly pool: Pool) {}

  /** Makes sure every value (of the partition key) has a partition; returns how many were created. */
  async ensure(spec: PartitionSpec, values: number[]): Promise<number> {
    if (values.length === 0) return 0;
    let ranges = this.known.get(spec.table);
    if (!ranges) {
      ranges = (await listPartitions(this.pool, spec.table)).filter((p) => !p.detachPending);
      this.known.set(spec.table, ranges);
    }
    const missing: number[] = [];
    for (const v of values) if (!covered(ranges, v)) missing.push(v);
    if (missing.length === 0) return 0;
    return this.create(spec, missing);
  }

  /** Forgets what is cached of a table: the next ensure reads the catalog again. */
  forget(table: string): void {
    this.known.delete(table);
  }

  /**
   * Runs a write that needs partitions for these values: ensures them first, and if the write still
   * finds a range without one (another process's retention dropped it since we cached it), reads the
   * catalog again, creates it, and runs the write once more. fn must be a whole transaction.
   */
  async writing<T>(needs: [PartitionSpec, number[]][], fn: () => Promise<T>): Promise<T> {
    for (const [spec, values] of needs) await this.ensure(spec, values);
    try {
      return await fn();
    } catch (e) {
      if (sqlState(e) !== NO_PARTITION) throw e;
      for (const [spec, values] of needs) {
        this.forget(spec.table);
        await this.ensure(spec, values);
      }
      return fn();
    }
  }

  /**
   * Drops the partitions whose every value is before `cutoff` (upper bound at or before it):
   * DETACH CONCURRENTLY, then DROP. A partition straddling the cutoff stays whole until it is all
   * older. Also drops tables of this table's partition naming left detached by an interrupted run.
   * Returns how many partitions went.
   */
  async dropBefore(spec: PartitionSpec, cutoff: number): Promise<number> {
    const client = await this.pool.connect();
    const lock = [LOCK_NAMESPACE, spec.table] as const;
    let dropped = 0;
    try {
      // Session lock (DETACH CONCURRENTLY cannot run in a transaction): creators of this table wait.
      await client.query("SELECT pg_advisory_lock($1, hashtext($2))", [...lock]);
      try {
        const parts = await listPartitions(client, spec.table);
        // First a detach left pending by an interrupted run: queries no longer see that partition
        // (writes into its range fail), and no other can be detached until it is finalized. Put
        // back if not expired (the policy grew since): DETACH CONCURRENTLY left a CHECK constraint
        // matching its range, so the ATTACH skips the scan.
        for (const p of parts.filter((x) => x.detachPending)) {
          await client.query(`ALTER TABLE "${spec.table}" DETACH PARTITION "${p.name}" FINALIZE`);
          if (p.to <= cutoff) {
            await client.query(`DROP TABLE IF EXISTS "${p.name}"`);
            dropped++;
          } else {
            await client.query(`ALTER TABLE "${spec.table}" ATTACH PARTITION "${p.name}" FOR VALUES FROM (${boundSql(p.from)}) TO (${boundSql(p.to)})`);
          }
        }
        for (const p of parts) {
          if (p.detachPending || p.to > cutoff) continue;
          try {
            await client.query(`ALTER TABLE "${spec.table}" DETACH PARTITION "${p.name}" CONCURRENTLY`);
          } catch (e) {
            // Detached meanwhile by someone else (not an Inflight retention: those hold the lock).
            if (sqlState(e) !== "42P01") throw e;
          }
          await client.query(`DROP TABLE IF EXISTS "${p.name}"`);
          dropped++;
        }
        for (const name of await this.orphans(client, spec)) await client.query(`DROP TABLE IF EXISTS "${name}"`);
      } finally {
        await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [...lock]).catch(() => undefined);
      }
    } finally {
      client.release();
      this.forget(spec.table);
    }
    return dropped;
  }

  /** Tables named like this table's partitions that are not attached: left by a detach that did not get to its DROP. */
  private async orphans(q: PoolClient, spec: PartitionSpec): Promise<string[]> {
    const { rows } = await q.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c
       WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND c.relname ~ $1 AND NOT c.relispartition`,
      [`^${spec.table}_p[0-9]{8,14}$`],
    );
    return rows.map((r) => r.relname);
  }

  /**
   * Frees a partition name: a same-named table that is not attached is a leftover of an interrupted
   * retention (its range expired) and goes, rather than bring its old rows back; an attached one
   * (not of our making: ours would have covered the value) is an error.
   */
  private async clearName(q: PoolClient, name: string): Promise<void> {
    const { rows } = await q.query<{ part: boolean }>("SELECT relispartition AS part FROM pg_class WHERE oid = to_regclass($1)", [`"${name}"`]);
    if (rows.length === 0) return;
    if (rows[0].part) throw new Error(`cannot create partition ${name}: a partition of that name covers another range`);
    await q.query(`DROP TABLE "${name}"`);
  }

  private async create(spec: PartitionSpec, values: number[]): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.createOnce(spec, values);
      } catch (e) {
        // A lock wait given up (a long query or a retention detach on the parent): retry shortly,
        // not queueing the table's queries behind us meanwhile.
        if (sqlState(e) !== LOCK_NOT_AVAILABLE || attempt >= LOCK_ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  private async createOnce(spec: PartitionSpec, values: number[]): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [LOCK_NAMESPACE, spec.table]);
      // Under the lock the catalog is the truth (another process may have created some meanwhile).
      const parts = await listPartitions(client, spec.table);
      const ranges: { from: number; to: number }[] = [...parts];
      const made: { from: number; to: number }[] = [];
      for (const v of values) {
        if (covered(ranges, v)) continue;
        const { from, to } = rangeFor(spec, ranges, v);
        const name = partitionName(spec, from);
        await this.clearName(client, name);
        await client.query(`CREATE TABLE "${name}" (LIKE "${spec.table}" INCLUDING ALL)`);
        await client.query(`ALTER TABLE "${spec.table}" ATTACH PARTITION "${name}" FOR VALUES FROM (${from}) TO (${to})`);
        ranges.push({ from, to });
        ranges.sort((a, b) => a.from - b.from);
        made.push({ from, to });
      }
      await client.query("COMMIT");
      // Cached: what new queries route to (a detach-pending partition no longer takes rows).
      const usable = [...parts.filter((p) => !p.detachPending), ...made].sort((a, b) => a.from - b.from);
      this.known.set(spec.table, usable);
      return made.length;
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
}
