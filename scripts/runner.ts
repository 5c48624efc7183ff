// `npm run runner`: the background runner on its own, without the dashboard (e.g. a dedicated
// process beside several dashboard instances). It competes for the same Redis lease.
import { ConfigError, serverConfig } from "../lib/config/env";
import { startAppRunner } from "../lib/runner/app-runner";
import { runPrisma } from "./lib/prisma.mjs";

try {
  runPrisma(["migrate", "deploy"], { databaseUrl: serverConfig().DATABASE_URL, quiet: true });
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(e instanceof ConfigError ? 2 : 1);
}
if (!startAppRunner()) process.exit(2);
