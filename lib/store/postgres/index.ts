// The Postgres store: one pg pool per Store, shared by the repositories, and one partition
// manager (partitions.ts) for the four time-partitioned tables. Each repository writes its
// multi-row statements with unnest arrays and reads many keys in one query (see each file).
import type { Store } from "../store";
import { PgBurstRunRepository } from "./bursts";
import { PgApiTokenRepository, PgInstanceSettingRepository } from "./accounts";
import { PgAlertRepository } from "./alerts";
import { PgAuditRepository } from "./audit";
import { redactUrl } from "../url";
import { PgCatalogRepository } from "./catalog";
import { openPool } from "./connection";
import { PgIngestRepository } from "./ingest";
import { PgJobStatusRepository } from "./jobs";
import { PgMetricsRepository } from "./metrics";
import { Partitions } from "./partitions";
import { PgRetentionRepository } from "./retention";
import { PgLiveSeriesRepository } from "./live";
import { PgSampleRepository } from "./samples";
import { PgSeriesRepository } from "./series";
import { PgServiceHealthRepository } from "./services";

/** The Postgres store at this URL (already migrated: lib/store/migrate.ts). Connects lazily; close() ends the pool. */
export function openPostgresStore(databaseUrl: string): Store {
  const pool = openPool(databaseUrl);
  const partitions = new Partitions(pool);
  return {
    dialect: "postgres",
    description: `Postgres ${redactUrl(databaseUrl)}`,
    catalog: new PgCatalogRepository(pool),
    ingest: new PgIngestRepository(pool, partitions),
    series: new PgSeriesRepository(pool, partitions),
    samples: new PgSampleRepository(pool, partitions),
    live: new PgLiveSeriesRepository(pool),
    jobs: new PgJobStatusRepository(pool),
    services: new PgServiceHealthRepository(pool),
    retention: new PgRetentionRepository(partitions),
    metrics: new PgMetricsRepository(pool),
    tokens: new PgApiTokenRepository(pool),
    settings: new PgInstanceSettingRepository(pool),
    audit: new PgAuditRepository(pool),
    alerts: new PgAlertRepository(pool),
    bursts: new PgBurstRunRepository(pool),
    authDatabase: pool,
    async close() {
      await pool.end();
    },
  };
}
