import type { ServerConfig } from "../config/env";
import type { IngestTiming } from "../ingest/cursor";
import { SpendLogIngest, type IngestLogger, type StepReport } from "../ingest/ingest";
import { RECONCILE_DEFAULTS, SpendLogReconciler, type ReconcileOptions } from "../ingest/reconcile";
import { ProxySpendLogSource, type SpendLogSource } from "../ingest/source";
import type { LiteLLMClient } from "../litellm/client";
import { SeriesMaintainer } from "../series/maintain";
import type { Store } from "../store/store";

/** The ingest timings a config sets. */
export function ingestTiming(c: ServerConfig): IngestTiming {
  return {
    maxRequestMs: c.INGEST_MAX_REQUEST_S * 1000,
    flushLagMs: c.INGEST_FLUSH_LAG_S * 1000,
    clockSkewMs: c.INGEST_CLOCK_SKEW_S * 1000,
    backfillMs: c.INGEST_BACKFILL_HOURS * 3_600_000,
  };
}

/**
 * What the reconcile pass re-checks, as a config sets it: never within a day of the request
 * retention, where a late row's recompute would find the requests around it already pruned.
 */
export function reconcileOptions(c: ServerConfig): ReconcileOptions {
  const hours = Math.max(0, Math.min(c.INGEST_RECONCILE_HOURS, (c.REQUEST_RETENTION_DAYS - 1) * 24));
  return { ...RECONCILE_DEFAULTS, horizonMs: hours * 3_600_000 };
}

/** Spend logs in, truth series out: the one wiring the runner, the tests and the bench all use. */
export interface ObservePipeline {
  source: SpendLogSource;
  ingest: SpendLogIngest;
  series: SeriesMaintainer;
  /** Re-checks settled windows for rows that came late. */
  reconciler: SpendLogReconciler;
  /** One ingest step, then the series brought up to date, as the runner's ingest job does. */
  step(): Promise<StepReport>;
  /** Steps until caught up with settled history. */
  catchUp(): Promise<StepReport>;
}

export function observePipeline(opts: {
  store: Pick<Store, "ingest" | "series">;
  client: LiteLLMClient;
  timing: IngestTiming;
  /** What the reconcile pass re-checks; RECONCILE_DEFAULTS when not given. */
  reconcile?: ReconcileOptions;
  log?: IngestLogger;
  /** A different spend-log source over the same client (the bench times one). */
  source?: SpendLogSource;
}): ObservePipeline {
  const source = opts.source ?? new ProxySpendLogSource(opts.client);
  const ingest = new SpendLogIngest(source, opts.store.ingest, opts.timing, opts.log ?? console);
  const series = new SeriesMaintainer(opts.store.series, opts.timing.maxRequestMs);
  const reconcile = opts.reconcile ?? RECONCILE_DEFAULTS;
  const reconciler = new SpendLogReconciler(source, opts.store.ingest, { ...reconcile, maxRequestMs: opts.timing.maxRequestMs }, opts.log ?? console, (at, delays) =>
    ingest.learnDelays(at, delays),
  );
  return {
    source,
    ingest,
    series,
    reconciler,
    async step() {
      const r = await ingest.step();
      await series.drain();
      return r;
    },
    async catchUp() {
      let r: StepReport;
      do r = await this.step();
      while (r.behind);
      return r;
    },
  };
}
