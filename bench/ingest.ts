// Ingest figures, on each store (SQLite, Postgres), from one simulator seeded with a day of spend logs:
//
// - ingest_rows_per_s[_postgres]: rows/s of Inflight's real ingest as the runner wires it
//   (lib/server/pipeline.ts observePipeline: the simulator's HTTP spend-log API → JSON → normalize →
//   the store's IngestRepository.commit, one transaction per page with the dirty marks, counters and
//   cursor). Baseline: the Prisma path on the same store in the same run: the same HTTP source and
//   windows, rows normalized the same way, each page stored with Prisma `createMany`.
// - ingest_ceiling_pct[_postgres]: that ingest as a percentage of a raw insert of the same rows with
//   no HTTP: the same normalized pages (in memory, same page sizes, same cursor commits) timed through
//   `store.ingest.commit` alone into a fresh store.
import { SPEND_LOG_SOURCE, type StepReport } from "@/lib/ingest/ingest";
import { normalizeRow, type IngestRow } from "@/lib/ingest/normalize";
import type { IngestRepository } from "@/lib/ingest/repository";
import { ProxySpendLogSource } from "@/lib/ingest/source";
import { formatProxyDate } from "@/lib/ingest/timestamps";
import { LiteLLMClient } from "@/lib/litellm/client";
import { observePipeline } from "@/lib/server/pipeline";
import { openStore } from "@/lib/store/open";
import { PARTITIONED } from "@/lib/store/postgres/partitions";
import type { Dialect } from "@/lib/store/store";
import { startSimulator } from "../tests/support/simulator";
import { count, ms } from "./format";
import { TIMING, quiet } from "./seeded";
import { DIALECTS, ensurePartitions, figureName, openPrisma, type BenchPrisma, type BenchStores } from "./stores";
import type { BenchResult } from "./types";

const DAY_MS = 86_400_000;

/** The ingest goal of issue #9: at least this many times Prisma, and this share of the raw-insert ceiling. */
const GOAL_RATIO = 10;
const GOAL_CEILING_PCT = 60;

interface StepWindow {
  fromMs: number;
  toMs: number;
  kind: StepReport["kind"];
  /** The cursor the step committed after its pages. */
  cursor: StepReport["cursor"];
}

interface PipelineRun {
  url: string;
  stored: number;
  rowsRead: number;
  pages: number;
  ingestMs: number;
  storeMs: number;
  cpuMs: number;
  seriesMs: number;
  windows: StepWindow[];
}

export async function ingestFigures(quick: boolean, stores: BenchStores): Promise<BenchResult[]> {
  const seeded = quick ? 200_000 : 1_000_000;
  const sim = await startSimulator(["--seed-spend-logs", String(seeded)]);
  const made: string[] = [];
  const fresh = async (d: Dialect) => {
    const url = await stores.fresh(d);
    made.push(url);
    return url;
  };
  try {
    const client = new LiteLLMClient({ baseUrl: sim.url, masterKey: sim.masterKey, timeoutMs: 30_000 });
    console.log(
      `   scale: the simulator seeded with ${count(seeded)} spend-log rows over the last 24 h (8 keys); each run ingests all of them into a fresh store`,
    );
    // Best of N, the stores taking turns: other work on this 2-core machine shows up as ±30 % between runs.
    const tries = quick ? 1 : 2;
    const runs: Record<Dialect, PipelineRun[]> = { sqlite: [], postgres: [] };
    for (let i = 0; i < tries; i++) for (const d of DIALECTS) runs[d].push(await runPipeline(await fresh(d), client));
    for (const d of DIALECTS) for (const r of runs[d]) await checkAgainstServed(client, r);
    const best = (d: Dialect) => runs[d].reduce((a, b) => (b.ingestMs < a.ingestMs ? b : a));

    // The raw-insert ceiling: the same normalized pages, in memory, committed with no HTTP. Read
    // after the pipeline runs so the pages held in memory do not weigh on their garbage collection.
    const commits = await capturePages(client, best("sqlite"));
    const results: BenchResult[] = [];
    for (const d of DIALECTS) {
      const run = best(d);
      const value = run.stored / (run.ingestMs / 1000);

      // Prisma reads the same windows (in quick mode only the first ones: it is ~10x slower and quick
      // must stay short) and must store what the pipeline stored there.
      const base = await runCreateMany(await fresh(d), client, run.windows, quick ? 10_000 : Infinity);
      const want = await countRequests(run.url, base.throughMs);
      if (base.stored !== want) throw new Error(`${d}: createMany stored ${base.stored} rows, the pipeline ${want} over the same windows`);
      const baseline = base.stored / (base.ms / 1000);

      const raws: RawRun[] = [];
      for (let i = 0; i < tries + 1; i++) {
        const url = await stores.fresh(d);
        try {
          raws.push(await runRaw(url, commits));
        } finally {
          await stores.remove(url);
        }
      }
      const raw = raws.reduce((a, b) => (b.ms < a.ms ? b : a));
      if (raw.stored !== run.stored) throw new Error(`${d}: the raw insert stored ${raw.stored} rows, the pipeline ${run.stored}`);
      const rawRate = raw.stored / (raw.ms / 1000);
      const pct = (value / rawRate) * 100;

      printIngest(d, runs[d], run, base, raws, raw, commits.length);
      console.log(
        `   ${d} goals: ${(value / baseline).toFixed(1)}x Prisma (goal ≥ ${GOAL_RATIO}x: ${value / baseline >= GOAL_RATIO ? "met" : "MISSED"}), ` +
          `${pct.toFixed(0)} % of the raw insert (goal ≥ ${GOAL_CEILING_PCT} %: ${pct >= GOAL_CEILING_PCT ? "met" : "MISSED"})`,
      );
      results.push({ name: figureName("ingest_rows_per_s", d), value, unit: "rows/s", baseline, ratio: value / baseline });
      // Baseline 100: the raw insert is 100 % of its own rate, so the ratio is the fraction of the
      // ceiling reached (the goal is a ratio of at least 0.60); the raw rows/s is printed above.
      results.push({ name: figureName("ingest_ceiling_pct", d), value: pct, unit: "%", baseline: 100, ratio: pct / 100 });
    }
    return results;
  } finally {
    await sim.stop();
    for (const url of made) await stores.remove(url);
  }
}

function printIngest(d: Dialect, runs: PipelineRun[], run: PipelineRun, base: CreateManyRun, raws: RawRun[], raw: RawRun, commits: number): void {
  console.log(
    `   ${d} ingest: ${count(run.stored)} rows (= what the simulator serves for the windows read) in ${run.windows.length} windows, ${run.pages} pages; ` +
      `ingest alone (HTTP + JSON + normalize + commit) ${runs.map((r) => ms(r.ingestMs)).join(" / ")}${runs.length > 1 ? " (best taken)" : ""}; ` +
      `series maintenance afterwards, not in it: ${ms(run.seriesMs)}`,
  );
  console.log(
    `   ${d} ingest time: ${ms(run.storeMs)} in commit (a transaction per page), the rest waiting for, reading and parsing pages ` +
      `while the simulator builds them; this process used ${ms(run.cpuMs)} of CPU`,
  );
  console.log(
    `   ${d} baseline: Prisma createMany per page, same source and windows, ${count(base.stored)} rows in ${ms(base.ms)}` +
      (base.windows < run.windows.length ? ` (first ${base.windows} of ${run.windows.length} windows)` : ""),
  );
  console.log(
    `   ${d} ceiling: the same ${count(raw.stored)} rows as ${commits} commits (pages + cursors) from memory into a fresh store: ` +
      `${raws.map((r) => ms(r.ms)).join(" / ")} (best taken) = ${count(raw.stored / (raw.ms / 1000))} rows/s`,
  );
}

/** Times each commit of the real store (one transaction: a page of rows, dirty marks, counters, maybe the cursor). */
class TimedIngest implements IngestRepository {
  ms = 0;
  constructor(private readonly inner: IngestRepository) {}
  readCursor(source: string) {
    return this.inner.readCursor(source);
  }
  async commit(...args: Parameters<IngestRepository["commit"]>) {
    const t0 = performance.now();
    try {
      return await this.inner.commit(...args);
    } finally {
      this.ms += performance.now() - t0;
    }
  }
  admittedOverlapping(...args: Parameters<IngestRepository["admittedOverlapping"]>) {
    return this.inner.admittedOverlapping(...args);
  }
  anyStartedSince(sinceMs: number) {
    return this.inner.anyStartedSince(sinceMs);
  }
}

/** Inflight's ingest as the runner wires it (observePipeline), stepped until caught up; then the series, timed apart. */
async function runPipeline(url: string, client: LiteLLMClient): Promise<PipelineRun> {
  const store = await openStore(url);
  try {
    const ingest = new TimedIngest(store.ingest);
    const pipeline = observePipeline({ store: { ingest, series: store.series }, client, timing: TIMING, log: quiet });
    const windows: StepWindow[] = [];
    let pages = 0;
    let rowsRead = 0;
    let stored = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let r: StepReport;
    do {
      r = await pipeline.ingest.step();
      windows.push({ ...r.window, kind: r.kind, cursor: r.cursor });
      pages += r.pages;
      rowsRead += r.rowsRead;
      stored += r.inserted;
    } while (r.behind);
    const ingestMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const t1 = performance.now();
    while ((await pipeline.series.run()).changes.length > 0);
    const seriesMs = performance.now() - t1;
    return { url, stored, rowsRead, pages, ingestMs, storeMs: ingest.ms, cpuMs: (cpu.user + cpu.system) / 1000, seriesMs, windows };
  } finally {
    await store.close();
  }
}

/** Every row the simulator serves for the windows the run read is stored, once (counted in the store by Prisma). */
async function checkAgainstServed(client: LiteLLMClient, r: PipelineRun): Promise<void> {
  const served = await countServed(client, r.windows[0].fromMs, r.windows[r.windows.length - 1].toMs);
  const stored = await countRequests(r.url, Infinity);
  if (r.stored !== served || stored !== served) throw new Error(`ingest stored ${stored} rows (reported ${r.stored}), the simulator serves ${served} for the window`);
}

/** Rows the simulator serves with startTime in [fromMs, toMs] (as Inflight asks for windows), paged independently. */
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

async function countRequests(url: string, throughMs: number): Promise<number> {
  const prisma = await openPrisma(url);
  try {
    return await prisma.request.count(Number.isFinite(throughMs) ? { where: { startMs: { lte: BigInt(throughMs) } } } : undefined);
  } finally {
    await prisma.$disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// The Prisma path

interface CreateManyRun {
  stored: number;
  ms: number;
  windows: number;
  /** The last whole second the windows read cover. */
  throughMs: number;
}

/**
 * The baseline: the same HTTP source over the same windows, rows normalized the same way, each page
 * stored with Prisma `createMany` (and the cursor with an upsert per window). Rows a window shares
 * with the one before (the proxy's dates are whole seconds, both ends inclusive) are re-read: on
 * Postgres `skipDuplicates` drops them; SQLite has no `skipDuplicates` and a duplicate fails the
 * whole batch, so there they are dropped first.
 */
async function runCreateMany(url: string, client: LiteLLMClient, windows: StepWindow[], minRows: number): Promise<CreateManyRun> {
  const postgres = url.startsWith("postgres");
  // Postgres: the request partitions of the days read, made before the clock starts (the store's
  // adapter makes them on demand; Prisma writes into the partitioned table and needs them there).
  const days: number[] = [];
  for (let t = windows[0].fromMs; t < windows[windows.length - 1].toMs + DAY_MS; t += DAY_MS) days.push(t);
  await ensurePartitions(url, [[PARTITIONED.request, days]]);
  const prisma = await openPrisma(url);
  try {
    const source = new ProxySpendLogSource(client);
    const keyIds = new Map<string, number>();
    let stored = 0;
    let done = 0;
    let prevEndMs = -Infinity; // the previous window's last whole second: its end date as sent
    const t0 = performance.now();
    for (const w of windows) {
      for await (const page of source.pages({ fromMs: w.fromMs, toMs: w.toMs, order: "startAsc" })) {
        const rows = page.rows.map(normalizeRow).filter((r): r is IngestRow => typeof r !== "string" && (postgres || r.startMs > prevEndMs));
        const data = [];
        for (const r of rows) data.push(requestData(r, await keyId(prisma, keyIds, r.keyHash)));
        stored += (postgres ? await prisma.request.createMany({ data, skipDuplicates: true }) : await prisma.request.createMany({ data })).count;
      }
      const cursor = { completeBeforeMs: BigInt(w.toMs), endWatermarkMs: BigInt(w.toMs), updatedAt: new Date() };
      await prisma.ingestCursor.upsert({ where: { source: SPEND_LOG_SOURCE }, create: { source: SPEND_LOG_SOURCE, ...cursor }, update: cursor });
      prevEndMs = Math.floor(w.toMs / 1000) * 1000;
      done++;
      if (stored >= minRows) break;
    }
    return { stored, ms: performance.now() - t0, windows: done, throughMs: prevEndMs };
  } finally {
    await prisma.$disconnect();
  }
}

function requestData(r: IngestRow, keyId: number) {
  return { keyId, startMs: BigInt(r.startMs), requestId: r.requestId, endMs: BigInt(r.endMs), status: r.status, rejected: r.rejected, model: r.model };
}

async function keyId(prisma: BenchPrisma, cache: Map<string, number>, hash: string): Promise<number> {
  let id = cache.get(hash);
  if (id === undefined) {
    const key = await prisma.key.upsert({ where: { hash }, create: { hash, inCatalog: false, firstSeenAt: new Date() }, update: {} });
    cache.set(hash, (id = key.id));
  }
  return id;
}

// ---------------------------------------------------------------------------------------------
// The raw-insert ceiling

/** One commit as the pipeline made it: a page of normalized rows, or a window's closing cursor. */
interface Commit {
  rows: IngestRow[];
  cursor: StepWindow["cursor"] | null;
}

/** The run's commits, re-read from the simulator (untimed): each window's pages normalized, then its cursor. */
async function capturePages(client: LiteLLMClient, run: PipelineRun): Promise<Commit[]> {
  const source = new ProxySpendLogSource(client);
  const commits: Commit[] = [];
  let read = 0;
  for (const w of run.windows) {
    for await (const page of source.pages({ fromMs: w.fromMs, toMs: w.toMs, order: w.kind === "live" ? "endDesc" : "startAsc" })) {
      read += page.rows.length;
      commits.push({ rows: page.rows.map(normalizeRow).filter((r): r is IngestRow => typeof r !== "string"), cursor: null });
    }
    commits.push({ rows: [], cursor: w.cursor });
  }
  if (read !== run.rowsRead) throw new Error(`re-reading the run's windows gave ${read} rows, the run read ${run.rowsRead}`);
  return commits;
}

interface RawRun {
  stored: number;
  ms: number;
}

/** Only `store.ingest.commit`, for the captured commits in order, into a fresh store. */
async function runRaw(url: string, commits: Commit[]): Promise<RawRun> {
  const store = await openStore(url);
  try {
    let stored = 0;
    const t0 = performance.now();
    for (const c of commits) stored += (await store.ingest.commit(SPEND_LOG_SOURCE, c.rows, c.cursor)).inserted;
    return { stored, ms: performance.now() - t0 };
  } finally {
    await store.close();
  }
}
