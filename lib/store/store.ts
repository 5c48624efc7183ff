import type { ApiTokenRepository, InstanceSettingRepository } from "../accounts/repository";
import type { AlertRepository } from "../alerts/repository";
import type { AuditRepository } from "../audit/repository";
import type { BurstRunRepository } from "../burst/repository";
import type { CatalogRepository } from "../catalog/repository";
import type { ServiceHealthRepository } from "../health/repository";
import type { IngestRepository } from "../ingest/repository";
import type { LimiterSampleRepository } from "../limiter/repository";
import type { MetricsRepository } from "../metrics/repository";
import type { RetentionRepository } from "../retention/repository";
import type { JobStatusRepository } from "../runner/repository";
import type { LiveSeriesRepository } from "../tracker/repository";
import type { SeriesRepository } from "../series/repository";
import type { Pool } from "./postgres/connection";
import type { Sqlite } from "./sqlite/connection";

export type Dialect = "sqlite" | "postgres";

/**
 * Inflight's store: one repository per area, each an async interface with a SQLite and a
 * Postgres adapter (lib/store/sqlite, lib/store/postgres), the only places SQL is written.
 */
export interface Store {
  readonly dialect: Dialect;
  /** Where it is, for logs and the health panel: never a password. */
  readonly description: string;
  readonly catalog: CatalogRepository;
  readonly ingest: IngestRepository;
  readonly series: SeriesRepository;
  readonly samples: LimiterSampleRepository;
  /** The tracker's live seconds (minutes of them), apart from the settled series. */
  readonly live: LiveSeriesRepository;
  readonly jobs: JobStatusRepository;
  readonly services: ServiceHealthRepository;
  readonly retention: RetentionRepository;
  readonly metrics: MetricsRepository;
  readonly tokens: ApiTokenRepository;
  readonly settings: InstanceSettingRepository;
  readonly audit: AuditRepository;
  readonly alerts: AlertRepository;
  readonly bursts: BurstRunRepository;
  /**
   * The connection better-auth runs its own queries on (accounts, sessions: lib/accounts/auth.ts),
   * over the tables this store's migrations make. The one place SQL is written outside this folder,
   * by the library.
   */
  readonly authDatabase: Sqlite | Pool;
  close(): Promise<void>;
}
