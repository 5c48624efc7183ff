import { migrateStore, StoreRefusedError } from "../../lib/store/migrate";
import { redactUrl } from "../../lib/store/url";

/**
 * Migrates the store before anything uses it, saying what it did in a line; a refusal (a database
 * holding LiteLLM's tables) or a failure ends the process with one readable line.
 */
export async function migrateOrExit(databaseUrl: string, log = (line: string) => console.log(line)): Promise<void> {
  try {
    const r = await migrateStore(databaseUrl);
    const what = r.applied.length ? `applied ${r.applied.length} migration(s): ${r.applied.join(", ")}` : "schema up to date";
    log(`[setup] store: ${redactUrl(databaseUrl)} (${what})`);
    for (const name of r.changed) log(`[setup] warning: migration ${name} changed after it was applied to this store; the applied version stays`);
  } catch (e) {
    if (e instanceof StoreRefusedError) console.error(`[setup] ${e.message}`);
    else console.error(`[setup] cannot prepare the store at ${redactUrl(databaseUrl)}: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
