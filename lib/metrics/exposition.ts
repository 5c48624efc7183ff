import { Counter, Gauge, Registry } from "prom-client";
import type { PipelineStatus } from "../health/pipeline";
import { COUNTED_IN } from "../ingest/limit-type";
import type { MetricsSnapshot } from "./snapshot";

/** The `limit_type` label values of the other 429s' counter: how lib/ingest/limit-type.ts counts them. */
const LIMITED_KINDS = ["rpm", "tpm", "other"] as const;

/** Key labels named as LiteLLM's own metrics name them, so the two join in Grafana. */
const KEY_LABELS = ["hashed_api_key", "api_key_alias", "team"] as const;

/**
 * Prometheus text for a snapshot, after Prometheus's conventions: counters end in `_total` and only
 * grow (take their rate()), gauges are state, base units. One registry per scrape, so a key that
 * disappeared leaves no stale series.
 */
export async function exposition(snap: MetricsSnapshot, pipeline: PipelineStatus): Promise<{ text: string; contentType: string }> {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: readonly string[] = KEY_LABELS) => new Gauge({ name, help, labelNames, registers: [registry] });
  const counter = (name: string, help: string, labelNames: readonly string[] = KEY_LABELS) => new Counter({ name, help, labelNames, registers: [registry] });

  const inFlight = gauge("inflight_key_in_flight", "Requests in flight for the key (truth from spend logs), most in the last complete second before the ingest watermark");
  const limit = gauge("inflight_key_max_parallel_requests", "The key's configured max_parallel_requests (absent when the key has none)");
  const believed = gauge("inflight_key_litellm_believed_in_flight", "What LiteLLM's limiter state in Redis says is in flight for the key (its belief)");
  const raw = gauge("inflight_key_litellm_raw_counter", "LiteLLM's raw limiter counter for the key; the windowed limiter's can be negative or above the limit");
  const admitted = counter("inflight_key_admitted_requests_total", "Requests of the key the proxy admitted, counted as Inflight stores their spend-log rows");
  const rejected = counter(
    "inflight_key_rejected_requests_total",
    "Requests of the key the proxy's limiter rejected with a 429 for its max_parallel_requests (concurrency rejections), counted as Inflight stores their spend-log rows",
  );
  const limited = counter(
    "inflight_key_limited_requests_total",
    "The key's other 429s from the proxy's limiter, by limit_type: rpm and tpm (the key's own limits), other (team, user, end-user and per-model limits, " +
      "and texts that name no limit); counted as Inflight stores their spend-log rows",
    [...KEY_LABELS, "limit_type"],
  );
  const violation = counter(
    "inflight_key_violation_seconds_total",
    "Seconds in which the key had more requests in flight than the max_parallel_requests in force, counted once settled (INGEST_MAX_REQUEST_S + INGEST_FLUSH_LAG_S after)",
  );
  // Labelled as the tracker issue names them (the live count comes from Inflight's own callback, not LiteLLM).
  const live = gauge("inflight_key_live_in_flight", "Requests of the key in flight now, from Inflight's LiteLLM callback (the live tracker); absent without one", ["key_hash", "key_alias"]);
  const skipped = counter("inflight_ingest_rows_skipped_total", "Spend-log rows skipped since the runner started, by reason", ["reason"]);
  const late = counter(
    "inflight_ingest_late_rows_total",
    "Spend-log rows stored after the ingest cursor had said they were in (they appeared later than the flush lag), since the runner started",
    [],
  );
  const reconciled = counter("inflight_ingest_reconciled_rows_total", "Late spend-log rows the reconcile pass found in settled windows, since the runner started", []);
  const lateDelay = gauge("inflight_ingest_late_row_max_delay_seconds", "The longest time from a late row's request end to Inflight storing it, since the runner started", []);

  for (const k of snap.keys) {
    const l = { hashed_api_key: k.hash, api_key_alias: k.alias, team: k.team };
    inFlight.set(l, k.inFlight);
    if (k.limit !== null) limit.set(l, k.limit);
    if (k.believed !== null) believed.set(l, k.believed);
    if (k.rawCounter !== null) raw.set(l, k.rawCounter);
    if (k.live !== null) live.set({ key_hash: k.hash, key_alias: k.alias }, k.live);
    admitted.inc(l, k.counters.admitted);
    rejected.inc(l, k.counters.rejected);
    // Only the kinds a key has met: most keys never meet an rpm or tpm limit, and three zero
    // series per key would triple what a scrape of many keys carries.
    for (const kind of LIMITED_KINDS) {
      const n = k.counters[COUNTED_IN[kind]];
      if (n > 0) limited.inc({ ...l, limit_type: kind }, n);
    }
    violation.inc(l, k.counters.violationSeconds);
  }
  // Only once ingest has a cursor: an unlabelled gauge starts at 0, which would claim "no lag"
  // before anything was read (an alert on lag would never fire for an ingest that never ran).
  if (snap.lagMs !== null) {
    gauge("inflight_ingest_lag_seconds", "How far behind the proxy Inflight's stored truth is: every request that ended before now minus this is stored", []).set(
      snap.lagMs / 1000,
    );
  }
  for (const [reason, n] of Object.entries(pipeline.skippedRows)) skipped.inc({ reason }, n);
  late.inc(pipeline.lateRows.rows);
  reconciled.inc(pipeline.lateRows.byReconcile);
  lateDelay.set(pipeline.lateRows.maxDelayMs / 1000);
  // Absent, not 0, before the first poll, as the lag above.
  if (pipeline.flushLagMs !== null) {
    gauge(
      "inflight_ingest_flush_lag_seconds",
      "How long after its end a spend-log row may take to appear, as ingest assumes now: INGEST_FLUSH_LAG_S, or more when rows were seen to appear later",
      [],
    ).set(pipeline.flushLagMs / 1000);
  }
  return { text: await registry.metrics(), contentType: registry.contentType };
}
