import { Gauge, Registry } from "prom-client";
import type { PipelineStatus } from "../health/pipeline";
import type { MetricsSnapshot } from "./snapshot";

/** Prometheus text for a snapshot: one registry per scrape, so a key that disappeared leaves no stale series. */
export async function exposition(snap: MetricsSnapshot, pipeline: PipelineStatus, nowMs = Date.now()): Promise<{ text: string; contentType: string }> {
  const registry = new Registry();
  const labels = ["key_hash", "key_alias"] as const;
  const g = (name: string, help: string, labelNames: readonly string[] = labels) => new Gauge({ name, help, labelNames, registers: [registry] });
  const inFlight = g("inflight_key_in_flight", "Requests in flight for the key (truth from spend logs), most in the last complete second before the ingest watermark");
  const peak = g("inflight_key_in_flight_peak_5m", "Most requests in flight for the key from 5 minutes before the ingest watermark to the newest stored data");
  const rejected = g("inflight_key_rejected_5m", "Requests the proxy's limiter rejected (429) from 5 minutes before the ingest watermark to the newest stored data");
  const limit = g("inflight_key_max_parallel_requests", "The key's configured max_parallel_requests (absent when the key has none)");
  const believed = g("inflight_key_litellm_believed_in_flight", "What LiteLLM's limiter state in Redis says is in flight for the key (its belief)");
  const raw = g("inflight_key_litellm_raw_counter", "LiteLLM's raw limiter counter for the key; the windowed limiter's can be negative or above the limit");
  const lag = new Gauge({ name: "inflight_ingest_lag_seconds", help: "How far behind the proxy Inflight's stored truth is", registers: [registry] });
  const skipped = new Gauge({ name: "inflight_ingest_rows_skipped", help: "Spend-log rows skipped since the runner started, by reason", labelNames: ["reason"], registers: [registry] });

  for (const k of snap.keys) {
    const l = { key_hash: k.hash, key_alias: k.alias };
    inFlight.set(l, k.inFlight);
    peak.set(l, k.peak5m);
    rejected.set(l, k.rejected5m);
    if (k.limit !== null) limit.set(l, k.limit);
    if (k.believed !== null) believed.set(l, k.believed);
    if (k.rawCounter !== null) raw.set(l, k.rawCounter);
  }
  if (snap.watermarkMs !== null) lag.set(Math.max(0, (nowMs - snap.watermarkMs) / 1000));
  for (const [reason, n] of Object.entries(pipeline.skippedRows)) skipped.set({ reason }, n);
  return { text: await registry.metrics(), contentType: registry.contentType };
}
