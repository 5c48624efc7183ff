// Each outside service's last known state on Postgres: the "ServiceStatus" table (Prisma's
// camelCase columns, quoted). Dates as ISO strings in, Dates out (see connection.ts).
import type { ServiceHealthRepository } from "../../health/repository";
import type { ServiceName, ServiceState } from "../../health/status";
import { pgDate, type Pool } from "./connection";

export class PgServiceHealthRepository implements ServiceHealthRepository {
  constructor(private readonly pool: Pool) {}

  async all(): Promise<Map<ServiceName, ServiceState>> {
    const { rows } = await this.pool.query(`SELECT * FROM "ServiceStatus"`);
    return new Map(
      rows.map((r) => {
        const s: ServiceState = {
          service: r.service as ServiceName,
          ok: Boolean(r.ok),
          checkedAt: r.checkedAt,
          lastOkAt: r.lastOkAt,
          latencyMs: r.latencyMs,
          error: r.error,
          okSince: r.okSince,
          downSince: r.downSince,
        };
        return [s.service, s];
      }),
    );
  }

  async save(s: ServiceState): Promise<void> {
    await this.pool.query(
      `INSERT INTO "ServiceStatus" (service, ok, "checkedAt", "lastOkAt", "latencyMs", error, "okSince", "downSince")
       VALUES ($1, $2, $3::timestamp, $4::timestamp, $5, $6, $7::timestamp, $8::timestamp)
       ON CONFLICT (service) DO UPDATE SET ok = excluded.ok, "checkedAt" = excluded."checkedAt", "lastOkAt" = excluded."lastOkAt",
         "latencyMs" = excluded."latencyMs", error = excluded.error, "okSince" = excluded."okSince", "downSince" = excluded."downSince"`,
      [s.service, s.ok, pgDate(s.checkedAt), pgDate(s.lastOkAt), s.latencyMs, s.error, pgDate(s.okSince), pgDate(s.downSince)],
    );
  }
}
