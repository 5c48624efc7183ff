import { summarisePipeline } from "@/lib/health/pipeline";
import { exposition } from "@/lib/metrics/exposition";
import { metricsSnapshot } from "@/lib/metrics/snapshot";
import { app } from "@/lib/server/app";
import { handle } from "../api/_lib/handle";
import { checkScraper } from "../api/_lib/scraper";

// Prometheus text exposition: per key truth, LiteLLM's belief, the limit; ingest lag.
export const GET = handle(async (req: Request) => {
  const a = await app();
  await checkScraper(req, a);
  const [snap, jobs] = await Promise.all([metricsSnapshot(a.store), a.store.jobs.all()]);
  const { text, contentType } = await exposition(snap, summarisePipeline(jobs));
  return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
