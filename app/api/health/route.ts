import { checkServices } from "@/lib/health/check";
import { summarisePipeline } from "@/lib/health/pipeline";
import { app } from "@/lib/server/app";
import { handle } from "../_lib/handle";

export const GET = handle(async () => {
  const a = await app();
  const [services, jobs] = await Promise.all([checkServices(a.store.services, a.probes), a.store.jobs.all()]);
  return { services, pipeline: summarisePipeline(jobs) };
});
