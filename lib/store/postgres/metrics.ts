import type { KeyCounters, MetricsRepository } from "../../metrics/repository";
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

  async addViolationSeconds(perKey: Map<number, number>, throughSec: number): Promise<void> {
    const counted = [...perKey].filter(([, n]) => n > 0);
    await withTx(this.pool, async (c) => {
      if (counted.length) {
        await c.query(
          `INSERT INTO key_counter (key_id, violation_seconds) SELECT * FROM unnest($1::int[], $2::bigint[])
           ON CONFLICT (key_id) DO UPDATE SET violation_seconds = key_counter.violation_seconds + excluded.violation_seconds`,
          [counted.map(([id]) => id), counted.map(([, n]) => n)],
        );
      }
      await c.query(
        "INSERT INTO counter_cursor (name, through_sec) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET through_sec = excluded.through_sec",
        [VIOLATIONS, throughSec],
      );
    });
  }
}
