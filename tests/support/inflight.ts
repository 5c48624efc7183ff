import { limitedCount } from "../../lib/concurrency/counts";
import type { IngestTiming } from "../../lib/ingest/cursor";
import type { ReconcileOptions } from "../../lib/ingest/reconcile";
import { LiteLLMClient } from "../../lib/litellm/client";
import { observePipeline } from "../../lib/server/pipeline";
import { openStore } from "../../lib/store/open";
import type { Store } from "../../lib/store/store";

const quiet = { warn: () => undefined };
const END = Number.MAX_SAFE_INTEGER;

/** What a test reads back of a key: through the store's repositories, as the app does. */
export async function keyTruth(store: Store, hash: string, fromMs = 0) {
  const key = await store.catalog.keyByHash(hash);
  if (!key) return null;
  const [t] = await store.series.totals([key.id], "1s", [[Math.floor(fromMs / 1000), END]]);
  // admitted counts the requests starting in each second, rejected each 429 for max_parallel_requests,
  // limited each 429 of another limit: together, every stored request once.
  return { keyId: key.id, peak: t?.maxInFlight ?? 0, admitted: t?.admitted ?? 0, rejected: t?.rejected ?? 0, limited: t ? limitedCount(t) : 0 };
}

/** Inflight's ingest pipeline over a test store, from the factory the runner uses, on its own connection. */
export async function openPipeline(databaseUrl: string, proxyUrl: string, masterKey: string, timing: IngestTiming, reconcile?: ReconcileOptions) {
  const store = await openStore(databaseUrl);
  const client = new LiteLLMClient({ baseUrl: proxyUrl, apiKey: masterKey, timeoutMs: 5_000 });
  return { store, client, ...observePipeline({ store, client, timing, reconcile, log: quiet }), close: () => store.close() };
}

/** Every stored request, all keys together (from the series: each request counted in the second it started). */
export async function storedRequests(store: Store): Promise<number> {
  const keys = await store.catalog.listedKeys();
  const totals = await store.series.totals(keys.map((k) => k.id), "1s", [[0, END]]);
  return totals.reduce((n, t) => n + t.admitted + t.rejected + limitedCount(t), 0);
}
