import { db } from "@/lib/db";
import { readJobs, summarisePipeline } from "@/lib/health/pipeline";
import { exposition } from "@/lib/metrics/exposition";
import { metricsSnapshot } from "@/lib/metrics/snapshot";
import { appSqlite } from "@/lib/store/app-sqlite";

// Prometheus text exposition: per key truth, LiteLLM's belief, the limit, 429s; and ingest lag.
export async function GET() {
  const { text, contentType } = await exposition(metricsSnapshot(appSqlite()), summarisePipeline(await readJobs(await db())));
  return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
