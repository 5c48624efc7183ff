import { summarisePipeline } from "@/lib/health/pipeline";
import { exposition } from "@/lib/metrics/exposition";
import { metricsSnapshot } from "@/lib/metrics/snapshot";
import { app } from "@/lib/server/app";

// Prometheus text exposition: per key truth, LiteLLM's belief, the limit; ingest lag.
export async function GET() {
  const { store } = await app();
  const [snap, jobs] = await Promise.all([metricsSnapshot(store), store.jobs.all()]);
  const { text, contentType } = await exposition(snap, summarisePipeline(jobs));
  return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
