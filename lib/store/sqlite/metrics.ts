import { countsAt } from "../../concurrency/counts";
import type { KeyCounters, MetricsRepository, ViolationSecond } from "../../metrics/repository";
import { COUNT_COLUMNS } from "../series-columns";
import { writeTx, type Sqlite } from "./connection";

const VIOLATIONS = "violation-seconds";

export class SqliteMetricsRepository implements MetricsRepository {
  private readonly stmt;

  constructor(private readonly db: Sqlite) {
    this.stmt = {
      counters: db.prepare(`SELECT violation_seconds, ${COUNT_COLUMNS.join(", ")} FROM key_counter WHERE key_id = ?`).raw(),
      cursor: db.prepare("SELECT through_sec FROM counter_cursor WHERE name = ?").pluck(),
      addSeconds: db.prepare(
        `INSERT INTO key_counter (key_id, violation_seconds) VALUES (?, ?)
         ON CONFLICT (key_id) DO UPDATE SET violation_seconds = key_counter.violation_seconds + excluded.violation_seconds`,
      ),
      ledger: db.prepare("INSERT INTO violation_second (key_id, sec) VALUES (?, ?) ON CONFLICT DO NOTHING"),
      prune: db.prepare("DELETE FROM violation_second WHERE sec < ?"),
      moveCursor: db.prepare(
        "INSERT INTO counter_cursor (name, through_sec) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET through_sec = excluded.through_sec",
      ),
    };
  }

  async counters(keyIds: number[]): Promise<Map<number, KeyCounters>> {
    const out = new Map<number, KeyCounters>();
    for (const id of keyIds) {
      const r = this.stmt.counters.get(id) as number[] | undefined;
      if (r) out.set(id, { ...countsAt(r, 1), violationSeconds: Number(r[0]) });
    }
    return out;
  }

  async violationsCountedThrough(): Promise<number | null> {
    const v = this.stmt.cursor.get(VIOLATIONS);
    return v === undefined ? null : Number(v);
  }

  async countViolationSeconds(seconds: ViolationSecond[], throughSec: number | null): Promise<Map<number, number>> {
    return writeTx(this.db, () => {
      const fresh = new Map<number, number>();
      for (const v of seconds) if (this.stmt.ledger.run(v.keyId, v.sec).changes > 0) fresh.set(v.keyId, (fresh.get(v.keyId) ?? 0) + 1);
      for (const [keyId, n] of fresh) this.stmt.addSeconds.run(keyId, n);
      if (throughSec !== null) this.stmt.moveCursor.run(VIOLATIONS, throughSec);
      return fresh;
    });
  }

  async pruneViolationSecondsBefore(sec: number): Promise<number> {
    return this.stmt.prune.run(sec).changes;
  }
}
