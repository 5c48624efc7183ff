import { checkServices } from "@/lib/health/check";
import { summarisePipeline } from "@/lib/health/pipeline";
import { app } from "@/lib/server/app";
import { handle } from "../_lib/handle";
import { checkScraper } from "../_lib/scraper";

export const GET = handle(async (req: Request) => {
  const a = await app();
  await checkScraper(req, a);
  const [services, jobs] = await Promise.all([checkServices(a.store.services, a.probes), a.store.jobs.all()]);
  return { services, pipeline: summarisePipeline(jobs) };
});
