import { alertsBench } from "./alerts";
import { burstBench } from "./burst";
import { concurrencyBench } from "./concurrency";
import { observeBench } from "./observe";
import { overviewFigures } from "./overview";
import { simulatorBench } from "./simulator";
import { trackerBench } from "./tracker";
import type { BenchSuite } from "./types";

/** Every bench suite, by name (`npm run bench -- --only=a,b` picks some). */
export const suites: Record<string, BenchSuite> = {
  concurrency: concurrencyBench,
  simulator: simulatorBench,
  observe: observeBench,
  overview: ({ quick, stores }) => overviewFigures(quick, stores),
  alerts: alertsBench,
  tracker: trackerBench,
  burst: burstBench,
};
