import type { KeyCounters, MetricsRepository, ViolationSecond } from "../../metrics/repository";
import { COUNT_COLUMNS, countsOfRow } from "../series-columns";
import { withTx, type Pool } from "./connection";

const VIOLATIONS = "violation-seconds";

export class PgMetricsRepository implements MetricsRepository {
  constructor(private readonly pool: Pool) {}

  async counters(keyIds: number[]): Promise<Map<number, KeyCounters>> {
    const { rows } = await this.pool.query<Record<string, unknown>>(
      `SELECT key_id, violation_seconds, ${COUNT_COLUMNS.join(", ")} FROM key_counter WHERE key_id = ANY($1::int[])`,
      [keyIds],
    );
    return new Map(rows.map((r) => [Number(r.key_id), { ...countsOfRow(r), violationSeconds: Number(r.violation_seconds) }]));
  }

  async violationsCountedThrough(): Promise<number | null> {
    const { rows } = await this.pool.query<{ through_sec: number }>("SELECT through_sec FROM counter_cursor WHERE name = $1", [VIOLATIONS]);
    return rows.length ? rows[0].through_sec : null;
  }

  async countViolationSeconds(seconds: ViolationSecond[], throughSec: number | null): Promise<Map<number, number>> {
    return withTx(this.pool, async (c) => {
      const fresh = new Map<number, number>();
      if (seconds.length) {
        // The ledger keeps each (key, second) once: only rows it did not hold yet come back.
        const { rows } = await c.query<{ key_id: number; n: string }>(
          `WITH added AS (
             INSERT INTO violation_second (key_id, sec) SELECT * FROM unnest($1::int[], $2::bigint[]) ON CONFLICT DO NOTHING RETURNING key_id
           )
           SELECT key_id, count(*) AS n FROM added GROUP BY key_id`,
          [seconds.map((v) => v.keyId), seconds.map((v) => v.sec)],
        );
        for (const r of rows) fresh.set(Number(r.key_id), Number(r.n));
      }
      if (fresh.size) {
        await c.query(
          `INSERT INTO key_counter (key_id, violation_seconds) SELECT * FROM unnest($1::int[], $2::bigint[])
           ON CONFLICT (key_id) DO UPDATE SET violation_seconds = key_counter.violation_seconds + excluded.violation_seconds`,
          [[...fresh.keys()], [...fresh.values()]],
        );
      }
      if (throughSec !== null) {
        await c.query(
          "INSERT INTO counter_cursor (name, through_sec) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET through_sec = excluded.through_sec",
          [VIOLATIONS, throughSec],
        );
      }
      return fresh;
    });
  }

  async pruneViolationSecondsBefore(sec: number): Promise<number> {
    return (await this.pool.query("DELETE FROM violation_second WHERE sec < $1", [sec])).rowCount ?? 0;
  }
}
