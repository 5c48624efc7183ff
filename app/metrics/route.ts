import { summarisePipeline } from "@/lib/health/pipeline";
import { exposition } from "@/lib/metrics/exposition";
import { metricsSnapshot } from "@/lib/metrics/snapshot";
import { app } from "@/lib/server/app";
import { readLive } from "@/lib/tracker/live";
import { handle } from "../api/_lib/handle";
import { checkScraper } from "../api/_lib/scraper";

// Prometheus text exposition: per key truth, LiteLLM's belief, the limit, the live tracker's count; ingest lag.
export const GET = handle(async (req: Request) => {
  const a = await app();
  await checkScraper(req, a);
  const tracker = a.tracker;
  const live = tracker ? (hashes: string[]) => readLive(tracker.redis, hashes, a.config.INFLIGHT_TRACKER_MAX_AGE_S * 1000).catch(() => null) : undefined;
  const [snap, jobs] = await Promise.all([metricsSnapshot(a.store, Date.now(), live), a.store.jobs.all()]);
  const { text, contentType } = await exposition(snap, summarisePipeline(jobs));
  return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
