import type Redis from "ioredis";
import { syncCatalog } from "../catalog/sync";
import { SqliteCatalogStore } from "../catalog/sqlite-store";
import type { ServerConfig } from "../config/env";
import { SpendLogIngest } from "../ingest/ingest";
import { SqliteIngestStore } from "../ingest/sqlite-store";
import { ProxySpendLogSource } from "../ingest/source";
import type { LiteLLMClient } from "../litellm/client";
import { findLimiterKeys } from "../limiter/discovery";
import { LimiterSampler } from "../limiter/sampler";
import { limiterStatus } from "../limiter/status";
import { SeriesMaintainer } from "../series/maintain";
import { applyRetention } from "../store/retention";
import type { Sqlite } from "../store/sqlite";
import { ingestJob } from "./ingest-job";
import { PeriodicJob, type JobSpec } from "./job";
import { JobStatusStore } from "./job-status";
import { RedisLease } from "./lease";

export interface RunnerDeps {
  config: ServerConfig;
  sqlite: Sqlite;
  client: LiteLLMClient;
  /** The operator's Redis (LiteLLM's): the lease and the limiter state. Null: no lease, no sampling. */
  redis: Redis | null;
  holderId: string;
  log?: { warn(msg: string): void; info(msg: string): void };
}


/**
 * The background work of Inflight: catalog sync, spend-log ingest and series, limiter sampling,
 * limiter-key discovery, retention. Runs in exactly one instance at a time, the holder of a Redis
 * lease; the others wait and take over when the holder's lease expires. A holder that loses Redis
 * keeps running (Redis is down for everyone, so nobody else can take the lease meanwhile).
 */
export class Runner {
  private readonly jobs: PeriodicJob[];
  private readonly status: JobStatusStore;
  private readonly lease: RedisLease | null;
  private leading = false;
  private unreachableSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly log: NonNullable<RunnerDeps["log"]>;
  private readonly leaseTtlMs: number;

  constructor(private readonly deps: RunnerDeps) {
    const { config: c, sqlite, client, redis, holderId } = deps;
    this.log = deps.log ?? console;
    this.status = new JobStatusStore(sqlite);
    this.leaseTtlMs = c.RUNNER_LEASE_TTL_S * 1000;
    this.lease = redis ? new RedisLease(redis, holderId, this.leaseTtlMs) : null;

    const catalog = new SqliteCatalogStore(sqlite);
    const source = new ProxySpendLogSource(client);
    const ingest = new SpendLogIngest(
      source,
      new SqliteIngestStore(sqlite),
      {
        maxRequestMs: c.INGEST_MAX_REQUEST_S * 1000,
        flushLagMs: c.INGEST_FLUSH_LAG_S * 1000,
        clockSkewMs: c.INGEST_CLOCK_SKEW_S * 1000,
        backfillMs: c.INGEST_BACKFILL_HOURS * 3_600_000,
      },
      this.log,
    );
    const series = new SeriesMaintainer(sqlite, c.INGEST_MAX_REQUEST_S * 1000);

    const specs: JobSpec[] = [
      {
        name: "catalog",
        intervalMs: c.CATALOG_SYNC_INTERVAL_S * 1000,
        run: async () => ({ stats: { ...(await syncCatalog(client, catalog)) } }),
      },
      { name: "ingest", intervalMs: c.INGEST_POLL_INTERVAL_S * 1000, run: ingestJob(ingest, source, series) },
      {
        name: "retention",
        intervalMs: 10 * 60_000,
        run: async () => ({
          stats: applyRetention(sqlite, {
            requestsMs: c.REQUEST_RETENTION_DAYS * 86_400_000,
            secondsMs: c.SERIES_RETENTION_DAYS * 86_400_000,
            minutesMs: c.ROLLUP_RETENTION_DAYS * 86_400_000,
            samplesMs: c.SAMPLE_RETENTION_HOURS * 3_600_000,
          }),
        }),
      },
    ];
    if (redis) {
      const sampler = new LimiterSampler(sqlite, redis, c.LITELLM_RATE_LIMIT_WINDOW_SIZE);
      const recentTraffic = sqlite.prepare("SELECT 1 FROM request WHERE start_ms >= ? LIMIT 1").pluck();
      specs.push(
        { name: "limiter-sampler", intervalMs: c.SAMPLE_INTERVAL_MS, maxBackoffMs: 10_000, run: async () => ({ stats: await sampler.sample() }) },
        {
          name: "limiter-discovery",
          intervalMs: 60_000,
          maxBackoffMs: 60_000,
          run: async () => {
            const d = await findLimiterKeys(redis);
            const traffic = recentTraffic.get(Date.now() - (c.INGEST_MAX_REQUEST_S + c.INGEST_FLUSH_LAG_S) * 1000) !== undefined;
            return { stats: { ...d, ...limiterStatus(d, traffic) } };
          },
        },
      );
    }
    this.jobs = specs.map((s) => new PeriodicJob(s, this.status, holderId, this.log));
  }

  isLeading(): boolean {
    return this.leading;
  }

  start(): void {
    void this.checkLease();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.setLeading(false);
    await this.lease?.release();
  }

  private async checkLease() {
    const now = Date.now();
    let lead: boolean;
    let state: string;
    if (!this.lease) {
      lead = true;
      state = "no-redis";
    } else {
      state = await this.lease.acquireOrRenew();
      if (state === "unreachable") {
        this.unreachableSince ??= now;
        // Nobody can take the lease while Redis is down: a holder keeps going; a non-holder runs
        // after two TTLs (ingest is idempotent, so a brief overlap costs only repeated reads).
        lead = this.leading || now - this.unreachableSince >= 2 * this.leaseTtlMs;
      } else {
        this.unreachableSince = null;
        lead = state === "held";
      }
    }
    await this.setLeading(lead);
    try {
      this.status.recordOk("lease", this.deps.holderId, { state, leading: lead, holder: lead ? this.deps.holderId : await this.lease?.holder() });
    } catch (e) {
      this.log.warn(`[runner] cannot record the lease state: ${e instanceof Error ? e.message : e}`);
    }
    this.timer = setTimeout(() => void this.checkLease(), this.leaseTtlMs / 3);
  }

  private async setLeading(lead: boolean) {
    if (lead === this.leading) return;
    this.leading = lead;
    if (lead) {
      this.log.info(`[runner] ${this.deps.holderId} runs the background jobs`);
      this.jobs.forEach((j) => j.start());
    } else {
      this.log.info(`[runner] ${this.deps.holderId} stops its background jobs`);
      await Promise.all(this.jobs.map((j) => j.stop()));
    }
  }
}
