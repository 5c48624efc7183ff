import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { IngestTiming } from "@/lib/ingest/cursor";
import { SpendLogIngest, type StepReport } from "@/lib/ingest/ingest";
import { normalizeRow, type IngestRow } from "@/lib/ingest/normalize";
import { ProxySpendLogSource } from "@/lib/ingest/source";
import { SqliteIngestStore } from "@/lib/ingest/sqlite-store";
import { formatProxyDate } from "@/lib/ingest/timestamps";
import { LiteLLMClient } from "@/lib/litellm/client";
import { openDb, type Db } from "@/lib/db";
import { SeriesMaintainer } from "@/lib/series/maintain";
import { openSqlite } from "@/lib/store/sqlite";
import { runPrisma } from "../scripts/lib/prisma.mjs";
import { startSimulator, type TestSimulator } from "../tests/support/simulator";
import type { BenchResult, BenchSuite } from "./types";

const HOUR_MS = 3_600_000;
const quiet = { warn: () => undefined };

/**
 * Seeded rows span the 24 h before the simulator started; 25 h of backfill covers them. Seeded
 * durations are exponential with a mean of 3 s, so 2 minutes bounds the longest request.
 */
const TIMING: IngestTiming = { maxRequestMs: 120_000, flushLagMs: 5_000, clockSkewMs: 1_000, backfillMs: 25 * HOUR_MS };

export const observeBench: BenchSuite = async ({ quick }) => {
  const stores = new StoreFactory();
  try {
    return [...(await ingestThroughput(quick, stores))];
  } finally {
    stores.removeAll();
  }
};

// ---------------------------------------------------------------------------------------------
// Fresh stores: `prisma migrate deploy` once, then copies of that empty migrated file.

class StoreFactory {
  private template: string | null = null;
  private readonly dirs: string[] = [];

  /** A fresh migrated SQLite store (a copy of one migrated by the real `prisma migrate deploy`). */
  create(): string {
    if (!this.template) {
      const dir = this.tempDir();
      this.template = path.join(dir, "template.db");
      runPrisma(["migrate", "deploy"], { databaseUrl: `file:${this.template}`, quiet: true });
    }
    const file = path.join(this.tempDir(), "store.db");
    fs.copyFileSync(this.template, file);
    return `file:${file}`;
  }

  removeAll(): void {
    for (const d of this.dirs) fs.rmSync(d, { recursive: true, force: true });
  }

  private tempDir(): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "inflight-bench-"));
    this.dirs.push(d);
    return d;
  }
}

// ---------------------------------------------------------------------------------------------
// ingest_rows_per_s

async function ingestThroughput(quick: boolean, stores: StoreFactory): Promise<BenchResult[]> {
  const seeded = quick ? 200_000 : 1_000_000;
  const sim = await startSimulator(["--seed-spend-logs", String(seeded)]);
  try {
    const client = new LiteLLMClient({ baseUrl: sim.url, masterKey: sim.masterKey, timeoutMs: 30_000 });
    const url = stores.create();
    const run = await runPipeline(url, client);
    const served = await countServed(client, run.fromMs, run.toMs);
    if (run.stored !== served) throw new Error(`ingest stored ${run.stored} rows, the simulator serves ${served} for the window`);
    const rate = run.stored / (run.ingestMs / 1000);
    console.log(
      `   ingest: ${run.stored.toLocaleString("en-US")} rows (= served for the window) in ${run.steps} steps, ` +
        `${run.ingestMs.toFixed(0)} ms of ingest alone (series maintenance after, not included: ${run.seriesMs.toFixed(0)} ms)`,
    );
    return [{ name: "ingest_rows_per_s", value: rate, unit: "rows/s", baseline: rate, ratio: 1 }];
  } finally {
    await sim.stop();
  }
}

interface PipelineRun {
  stored: number;
  steps: number;
  ingestMs: number;
  seriesMs: number;
  fromMs: number;
  toMs: number;
  windows: { fromMs: number; toMs: number }[];
}

/** Inflight's ingest as the runner wires it, stepped until caught up; then the series, timed apart. */
async function runPipeline(url: string, client: LiteLLMClient): Promise<PipelineRun> {
  const db = openSqlite(url);
  try {
    const ingest = new SpendLogIngest(new ProxySpendLogSource(client), new SqliteIngestStore(db), TIMING, quiet);
    const windows: { fromMs: number; toMs: number }[] = [];
    const t0 = performance.now();
    let r: StepReport;
    do {
      r = await ingest.step();
      windows.push(r.window);
    } while (r.behind);
    const ingestMs = performance.now() - t0;
    const series = new SeriesMaintainer(db, TIMING.maxRequestMs);
    const t1 = performance.now();
    while (series.run().changes.length > 0);
    const seriesMs = performance.now() - t1;
    const stored = db.prepare("SELECT COUNT(*) FROM request").pluck().get() as number;
    return { stored, steps: windows.length, ingestMs, seriesMs, fromMs: windows[0].fromMs, toMs: windows[windows.length - 1].toMs, windows };
  } finally {
    db.close();
  }
}

/** Rows the simulator serves with startTime in the window (as Inflight asks for it), paged independently. */
async function countServed(client: LiteLLMClient, fromMs: number, toMs: number): Promise<number> {
  let n = 0;
  for (let page = 1; ; page++) {
    const res = await client.spendLogsPage("/spend/logs/ui", {
      startDate: formatProxyDate(fromMs),
      endDate: formatProxyDate(toMs),
      page,
      pageSize: 1000,
      sortBy: "startTime",
      sortOrder: "asc",
    });
    n += res.data.length;
    if (res.data.length < 1000) return n;
  }
}

// keep the imports used while the suite grows
void normalizeRow;
void openDb;
export type { Db, IngestRow, TestSimulator };
