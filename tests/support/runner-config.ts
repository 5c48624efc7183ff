import { loadServerConfig } from "../../lib/config/env";

/** A server config for tests: the given store, proxy and Redis, with time compressed. */
export function testRunnerConfig(env: { INFLIGHT_DATABASE_URL: string; LITELLM_URL: string; LITELLM_MASTER_KEY: string; REDIS_URL?: string }) {
  return loadServerConfig({
    ...env,
    RUNNER_LEASE_TTL_S: "2",
    CATALOG_SYNC_INTERVAL_S: "5",
    INGEST_POLL_INTERVAL_S: "1",
    INGEST_MAX_REQUEST_S: "30",
    INGEST_FLUSH_LAG_S: "3",
    INGEST_CLOCK_SKEW_S: "1",
    INGEST_BACKFILL_HOURS: "1",
    SAMPLE_INTERVAL_MS: "500",
  });
}
