import { db } from "@/lib/db";
import { serviceProbes } from "@/lib/deps";
import { checkServices } from "@/lib/health/check";
import { readJobs, summarisePipeline } from "@/lib/health/pipeline";
import { handle } from "../_lib/handle";

export const GET = handle(async () => {
  const store = await db();
  const [services, jobs] = await Promise.all([checkServices(store, serviceProbes()), readJobs(store)]);
  return { services, pipeline: summarisePipeline(jobs) };
});
