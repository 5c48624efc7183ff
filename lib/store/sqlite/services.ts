import type { ServiceHealthRepository } from "../../health/repository";
import type { ServiceName, ServiceState } from "../../health/status";
import { fromSqlDate, num, sqlDate, type Sqlite } from "./connection";

const date = (d: Date | null) => (d === null ? null : sqlDate(d));

export class SqliteServiceHealthRepository implements ServiceHealthRepository {
  private readonly stmt;

  constructor(db: Sqlite) {
    this.stmt = {
      all: db.prepare(`SELECT * FROM "ServiceStatus"`),
      save: db.prepare(
        `INSERT INTO "ServiceStatus" (service, ok, "checkedAt", "lastOkAt", "latencyMs", error, "okSince", "downSince")
         VALUES (@service, @ok, @checkedAt, @lastOkAt, @latencyMs, @error, @okSince, @downSince)
         ON CONFLICT (service) DO UPDATE SET ok = excluded.ok, "checkedAt" = excluded."checkedAt", "lastOkAt" = excluded."lastOkAt",
           "latencyMs" = excluded."latencyMs", error = excluded.error, "okSince" = excluded."okSince", "downSince" = excluded."downSince"`,
      ),
    };
  }

  async all(): Promise<Map<ServiceName, ServiceState>> {
    const rows = this.stmt.all.all() as Record<string, unknown>[];
    return new Map(
      rows.map((r) => {
        const s: ServiceState = {
          service: r.service as ServiceName,
          ok: Boolean(r.ok),
          checkedAt: fromSqlDate(r.checkedAt)!,
          lastOkAt: fromSqlDate(r.lastOkAt),
          latencyMs: num(r.latencyMs),
          error: (r.error as string | null) ?? null,
          okSince: fromSqlDate(r.okSince),
          downSince: fromSqlDate(r.downSince),
        };
        return [s.service, s];
      }),
    );
  }

  async save(s: ServiceState): Promise<void> {
    this.stmt.save.run({
      service: s.service,
      ok: s.ok ? 1 : 0,
      checkedAt: sqlDate(s.checkedAt),
      lastOkAt: date(s.lastOkAt),
      latencyMs: s.latencyMs,
      error: s.error,
      okSince: date(s.okSince),
      downSince: date(s.downSince),
    });
  }
}
