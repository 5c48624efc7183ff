// `npm run db:migrate`: brings Inflight's store (INFLIGHT_DATABASE_URL, default SQLite in DATA_DIR)
// up to date and exits: a one-shot migrate job before replicas start. `npm start` does it too.
import { ConfigError, loadServerConfig } from "../lib/config/env";
import { migrateOrExit } from "./lib/migrate-store";

async function main() {
  await migrateOrExit(loadServerConfig().INFLIGHT_DATABASE_URL);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(e instanceof ConfigError ? 2 : 1);
});
