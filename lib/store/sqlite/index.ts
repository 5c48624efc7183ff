import type { Store } from "../store";
import { SqliteBurstRunRepository } from "./bursts";
import { SqliteApiTokenRepository, SqliteInstanceSettingRepository } from "./accounts";
import { SqliteAlertRepository } from "./alerts";
import { SqliteAuditRepository } from "./audit";
import { SqliteCatalogRepository } from "./catalog";
import { openSqlite, sqliteFile } from "./connection";
import { SqliteIngestRepository } from "./ingest";
import { SqliteJobStatusRepository } from "./jobs";
import { SqliteMetricsRepository } from "./metrics";
import { SqliteRetentionRepository } from "./retention";
import { SqliteLiveSeriesRepository } from "./live";
import { SqliteSampleRepository } from "./samples";
import { SqliteSeriesRepository } from "./series";
import { SqliteServiceHealthRepository } from "./services";

/**
 * The SQLite store on one better-sqlite3 connection per process. Every adapter method runs its
 * statements synchronously (one transaction never spans an await), so sharing it is safe.
 */
export function openSqliteStore(databaseUrl: string): Store {
  const db = openSqlite(databaseUrl);
  return {
    dialect: "sqlite",
    description: `SQLite ${sqliteFile(databaseUrl)}`,
    catalog: new SqliteCatalogRepository(db),
    ingest: new SqliteIngestRepository(db),
    series: new SqliteSeriesRepository(db),
    samples: new SqliteSampleRepository(db),
    live: new SqliteLiveSeriesRepository(db),
    jobs: new SqliteJobStatusRepository(db),
    services: new SqliteServiceHealthRepository(db),
    retention: new SqliteRetentionRepository(db),
    metrics: new SqliteMetricsRepository(db),
    tokens: new SqliteApiTokenRepository(db),
    settings: new SqliteInstanceSettingRepository(db),
    audit: new SqliteAuditRepository(db),
    alerts: new SqliteAlertRepository(db),
    bursts: new SqliteBurstRunRepository(db),
    authDatabase: db,
    async close() {
      db.close();
    },
  };
}
