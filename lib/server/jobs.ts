import type Redis from "ioredis";
import { deliverDue } from "../alerts/deliver";
import { envConfigsOf, type FixedChannel } from "../alerts/env-channels";
import { evaluateAlerts } from "../alerts/evaluate";
import { limiterSharing } from "../alerts/limiter-sharing";
import { syncCatalog } from "../catalog/sync";
import { ErrorLogWatch } from "../tracker/error-log-watch";
import { AGREEMENT_SETTLE_MS, IntervalAgreement } from "../tracker/agreement";
import { loggedIntervals } from "../tracker/logged-rows";
import { LiveSeconds } from "../tracker/live-seconds";
import { LiveSecondWriter } from "../tracker/live-writer";
import { TrackerReader, WORKER_ALIVE_MS } from "../tracker/reader";
import { SPEND_LOG_SOURCE } from "../ingest/store-page";
import { ProxySpendLogSource } from "../ingest/source";
import { tappedSource } from "../ingest/tapped-source";
import type { ServerConfig } from "../config/env";
import type { LiteLLMClient } from "../litellm/client";
import { findLimiterKeys } from "../limiter/discovery";
import { LimiterSampler } from "../limiter/sampler";
import { countViolationSeconds, recountViolationSeconds } from "../metrics/violation-counter";
import { limiterStatus } from "../limiter/status";
import { ingestJob } from "../runner/ingest-job";
import type { JobSpec } from "../runner/job";
import type { Store } from "../store/store";
import { repairBurstRuns } from "../burst/repair";
import { settleAbandonedEdits } from "../limits/settle-pending";
import { ingestTiming, observePipeline, reconcileOptions } from "./pipeline";

export interface JobDeps {
  config: ServerConfig;
  store: Store;
  client: LiteLLMClient;
  /** The proxy's Redis, read only: LiteLLM's limiter state. Null: no sampling. */
  proxyRedis: Redis | null;
  /** The live tracker's Redis (App.tracker); null: none configured. */
  tracker: { redis: Redis; canWrite: boolean } | null;
  log: { warn(msg: string): void };
  /** Links in notifications. */
  publicUrl: string;
  fixedChannels: FixedChannel[];
}

/** Every background job of the runner; a new job is one more entry. */
export function runnerJobs({ config: c, store, client, proxyRedis, tracker, log, publicUrl, fixedChannels }: JobDeps): JobSpec[] {
  // With a tracker, every spend-log row read is also compared with the tracker's interval for it.
  const agreement = tracker ? new IntervalAgreement(Date.now()) : null;
  const proxySource = new ProxySpendLogSource(client);
  const source = agreement ? tappedSource(proxySource, (rows) => agreement.addLogged(loggedIntervals(rows), Date.now())) : proxySource;
  const pipeline = observePipeline({ store, client, timing: ingestTiming(c), reconcile: reconcileOptions(c), log, source });
  const jobs: JobSpec[] = [
    { name: "catalog", intervalMs: c.CATALOG_SYNC_INTERVAL_S * 1000, run: async () => ({ stats: { ...(await syncCatalog(client, store)) } }) },
    {
      name: "ingest",
      intervalMs: c.INGEST_POLL_INTERVAL_S * 1000,
      run: ingestJob(pipeline, c.INGEST_RECONCILE_INTERVAL_S * 1000, (changes) => recountViolationSeconds(store, changes)),
    },
    {
      name: "violation-counter",
      intervalMs: 30_000,
      run: async () => {
        // Counted seconds are kept while a late row can still reach them: the reconcile pass's
        // horizon, plus the longest request it may find, plus an hour.
        const r = await countViolationSeconds(store, reconcileOptions(c).horizonMs / 1000 + c.INGEST_MAX_REQUEST_S + 3600);
        return { stats: { ...r }, again: r.behind };
      },
    },
    ...alertJobs(c, store, { client, proxyRedis, publicUrl, fixedChannels }),
    // A burst test whose process died: marked interrupted, its twin key deleted, the key's metadata put back.
    { name: "burst-repair", intervalMs: 15_000, run: async () => ({ stats: await repairBurstRuns({ bursts: store.bursts, audit: store.audit, litellm: client }) }) },
    // An edit whose process died between calling LiteLLM and hearing back is settled as unconfirmed.
    { name: "audit-settle", intervalMs: 60_000, run: async () => ({ stats: { settled: await settleAbandonedEdits(store.audit) } }) },
    {
      name: "retention",
      intervalMs: 10 * 60_000,
      run: async () => ({
        stats: await store.retention.apply(
          {
            requestsMs: c.REQUEST_RETENTION_DAYS * 86_400_000,
            secondsMs: c.SERIES_RETENTION_DAYS * 86_400_000,
            minutesMs: c.ROLLUP_RETENTION_DAYS * 86_400_000,
            samplesMs: c.SAMPLE_RETENTION_HOURS * 3_600_000,
          },
          Date.now(),
        ),
      }),
    },
  ];
  if (tracker && agreement) jobs.push(trackerJob(c, store, tracker, agreement));
  if (proxyRedis) {
    const sampler = new LimiterSampler(store.catalog, store.samples, proxyRedis, c.LITELLM_RATE_LIMIT_WINDOW_SIZE);
    jobs.push(
      { name: "limiter-sampler", intervalMs: c.SAMPLE_INTERVAL_MS, maxBackoffMs: 10_000, run: async () => ({ stats: await sampler.sample() }) },
      {
        name: "limiter-discovery",
        intervalMs: 60_000,
        maxBackoffMs: 60_000,
        run: async () => {
          const d = await findLimiterKeys(proxyRedis);
          const traffic = await store.ingest.anyStartedSince(Date.now() - (c.INGEST_MAX_REQUEST_S + c.INGEST_FLUSH_LAG_S) * 1000);
          return { stats: { ...d, ...limiterStatus(d, traffic) } };
        },
      },
    );
  }
  return jobs;
}

/** Detection with the alert life cycle (writing the outbox), and delivery of the outbox. */
function alertJobs(c: ServerConfig, store: Store, d: Pick<JobDeps, "client" | "proxyRedis" | "publicUrl" | "fixedChannels">): JobSpec[] {
  const sharedLimiter = limiterSharing(d.client, d.proxyRedis);
  const envConfigs = envConfigsOf(d.fixedChannels);
  return [
    {
      name: "alerts",
      intervalMs: c.ALERT_EVAL_INTERVAL_S * 1000,
      run: async () => ({
        stats: {
          ...(await evaluateAlerts({
            store,
            sharedLimiter,
            settings: {
              lookbackS: Math.max(c.ALERT_LOOKBACK_S, c.ALERT_RESOLVE_HOLD_S + 60),
              settleMaxS: c.ALERT_SETTLE_MAX_S,
              groupWaitS: c.ALERT_GROUP_WAIT_S,
              holdS: c.ALERT_RESOLVE_HOLD_S,
              repeatS: c.ALERT_REPEAT_INTERVAL_S,
              baseUrl: d.publicUrl,
              environment: c.INFLIGHT_ENVIRONMENT ?? null,
            },
          })),
        },
      }),
    },
    {
      name: "alert-delivery",
      intervalMs: c.ALERT_DELIVERY_INTERVAL_MS,
      maxBackoffMs: 10_000,
      run: async () => {
        const r = await deliverDue({
          alerts: store.alerts,
          envConfigs,
          settings: {
            timeoutMs: c.ALERT_DELIVERY_TIMEOUT_MS,
            allowedHosts: c.ALERT_ALLOWED_HOSTS,
            retryBaseMs: c.ALERT_RETRY_BASE_S * 1000,
            retryMaxMs: c.ALERT_RETRY_MAX_S * 1000,
            maxAttempts: c.ALERT_MAX_ATTEMPTS,
            pauseAfter: c.ALERT_PAUSE_AFTER,
            batch: DELIVERY_BATCH,
          },
        });
        // A full batch means more are waiting: go on at once.
        return { stats: { ...r }, again: r.claimed === DELIVERY_BATCH };
      },
    },
  ];
}

const DELIVERY_BATCH = 50;

/**
 * Follows the live tracker's event log (lib/tracker/reader.ts): exact intervals, lost ends pruned
 * and counted. Once a minute it compares the limiter 429s the tracker saw with the 429s stored from
 * spend logs for the same settled minutes: a proxy running with `disable_error_logs` logs none.
 * A proxy without the callback mounted costs one small read a tick.
 */
function trackerJob(c: ServerConfig, store: Store, tracker: NonNullable<JobDeps["tracker"]>, agreement: IntervalAgreement): JobSpec {
  const seconds = new LiveSeconds();
  const reader = new TrackerReader(tracker.redis, { maxAgeMs: c.INFLIGHT_TRACKER_MAX_AGE_S * 1000, canWrite: tracker.canWrite, seconds });
  const liveWriter = new LiveSecondWriter(store.catalog, store.live);
  const errorLogs = new ErrorLogWatch(store);
  let lastSettleMs = 0;
  return {
    name: "tracker",
    intervalMs: c.TRACKER_INTERVAL_MS,
    maxBackoffMs: 10_000,
    run: async () => {
      const now = Date.now();
      const tick = await reader.tick(now);
      // The per-second live series for the key chart's live edge (never the settled series).
      const liveSeconds = await liveWriter.write(seconds.flush(now), now);
      const ended = reader.state.takeIntervals();
      agreement.addTracked(ended, now);
      const beats = reader.heartbeats;
      const alive = beats.filter((b) => now - b.seenMs < WORKER_ALIVE_MS);
      if (now - lastSettleMs >= AGREEMENT_SETTLE_MS) {
        lastSettleMs = now;
        const cursor = await store.ingest.readCursor(SPEND_LOG_SOURCE);
        agreement.settle(
          {
            settledEndMs: cursor?.endWatermarkMs ?? null,
            trackerReadToMs: now,
            trackerAliveSinceMs: alive.length ? Math.max(...alive.map((b) => b.startedMs ?? b.seenMs)) : null,
            isOpen: (hash, callId) => reader.state.isOpen(hash, callId),
          },
          now,
        );
      }
      const intervals = ended.length;
      const inFlight = [...reader.state.inFlight().values()].reduce((a, b) => a + b, 0);
      const errors = await errorLogs.add(reader.state.takeRejections());
      const seen = {
        lastSeenMs: beats.length ? Math.max(...beats.map((b) => b.seenMs)) : null,
        // Since when the writers seen now have been running (their processes' start).
        sinceMs: beats.length ? Math.min(...beats.map((b) => b.startedMs ?? b.seenMs)) : null,
        dropped: beats.reduce((n, b) => n + b.dropped, 0),
      };
      return {
        stats: {
          ...tick,
          ...seen,
          intervals,
          inFlight,
          lostTotal: reader.state.counters.lost,
          eventsTotal: reader.state.counters.events,
          errorLogs: errors,
          agreement: agreement.report(now),
          liveSeconds,
        },
      };
    },
  };
}
