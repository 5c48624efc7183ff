import { SpendLogIngest, type StepReport } from "../../lib/ingest/ingest";
import { SqliteIngestStore } from "../../lib/ingest/sqlite-store";
import { ProxySpendLogSource } from "../../lib/ingest/source";
import type { IngestTiming } from "../../lib/ingest/cursor";
import { LiteLLMClient } from "../../lib/litellm/client";
import { SeriesMaintainer } from "../../lib/series/maintain";
import { openSqlite, type Sqlite } from "../../lib/store/sqlite";

const quiet = { warn: () => undefined };

/** Inflight's ingest pipeline over a test store, as the runner wires it, with a fresh connection. */
export function openPipeline(databaseUrl: string, proxyUrl: string, masterKey: string, timing: IngestTiming) {
  const sqlite: Sqlite = openSqlite(databaseUrl);
  const client = new LiteLLMClient({ baseUrl: proxyUrl, masterKey, timeoutMs: 5_000 });
  const ingest = new SpendLogIngest(new ProxySpendLogSource(client), new SqliteIngestStore(sqlite), timing, quiet);
  const series = new SeriesMaintainer(sqlite, timing.maxRequestMs);
  return {
    sqlite,
    client,
    /** One ingest step then the series brought up to date, as the runner's ingest job does. */
    async step(): Promise<StepReport> {
      const r = await ingest.step();
      while (series.run().changes.length > 0);
      return r;
    },
    /** Steps until caught up with settled history. */
    async catchUp(): Promise<StepReport> {
      let r: StepReport;
      do r = await this.step();
      while (r.behind);
      return r;
    },
    keyId(hash: string): number | undefined {
      return sqlite.prepare("SELECT id FROM key WHERE hash = ?").pluck().get(hash) as number | undefined;
    },
    peak(keyId: number, fromMs = 0): number {
      return (sqlite.prepare("SELECT COALESCE(MAX(max_in_flight), 0) FROM series_1s WHERE key_id = ? AND sec >= ?").pluck().get(keyId, Math.floor(fromMs / 1000)) as number) ?? 0;
    },
    close() {
      sqlite.close();
    },
  };
}
