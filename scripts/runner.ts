// `npm run runner`: the background runner on its own, without the dashboard (e.g. a dedicated
// process beside several dashboard instances). It competes for the same Redis lease.
import { ConfigError, serverConfig } from "../lib/config/env";
import { startAppRunner } from "../lib/server/app";
import { migrateOrExit } from "./lib/migrate-store";

async function main() {
  await migrateOrExit(serverConfig().INFLIGHT_DATABASE_URL);
  if (!(await startAppRunner())) process.exit(2);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(e instanceof ConfigError ? 2 : 1);
});
