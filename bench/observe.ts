import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { bucketize, type Bucket } from "@/lib/concurrency/downsample";
import { openDb, type Db } from "@/lib/db";
import type { IngestTiming } from "@/lib/ingest/cursor";
import { SpendLogIngest, type StepReport } from "@/lib/ingest/ingest";
import { normalizeRow, type IngestRow } from "@/lib/ingest/normalize";
import { ProxySpendLogSource } from "@/lib/ingest/source";
import { SqliteIngestStore } from "@/lib/ingest/sqlite-store";
import type { CommitResult, IngestStore } from "@/lib/ingest/store";
import { formatProxyDate } from "@/lib/ingest/timestamps";
import { LiteLLMClient } from "@/lib/litellm/client";
import { SeriesMaintainer } from "@/lib/series/maintain";
import { SeriesReader } from "@/lib/series/read";
import { openSqlite, type Sqlite } from "@/lib/store/sqlite";
import { mulberry32 } from "@/lib/traffic/prng";
import { runPrisma } from "../scripts/lib/prisma.mjs";
import { startSimulator } from "../tests/support/simulator";
import type { BenchResult, BenchSuite } from "./types";

const ROOT = path.resolve(__dirname, "..");
const HOUR_MS = 3_600_000;
const DAY_SEC = 86_400;
const quiet = { warn: () => undefined };

/**
 * Seeded rows span the 24 h before the simulator started; 25 h of backfill covers them. Seeded
 * durations are exponential with a mean of 3 s, so 2 minutes bounds the longest request.
 */
const TIMING: IngestTiming = { maxRequestMs: 120_000, flushLagMs: 5_000, clockSkewMs: 1_000, backfillMs: 25 * HOUR_MS };

/**
 * The observe pipeline's figures: ingest throughput from the simulator's HTTP API into SQLite,
 * a 24 h range query over a 100-key series store, and memory growth over a 10 M-row ingest.
 */
export const observeBench: BenchSuite = async ({ quick }) => {
  const stores = new StoreFactory();
  try {
    return [...(await ingestThroughput(quick, stores)), ...(await rangeQuery(quick, stores)), ...(await memoryGrowth(quick, stores))];
  } finally {
    stores.removeAll();
  }
};

// ---------------------------------------------------------------------------------------------
// Fresh stores: `prisma migrate deploy` once, then copies of that empty migrated file.

class StoreFactory {
  private template: string | null = null;
  private readonly dirs: string[] = [];

  /** A fresh migrated SQLite store: a copy of an empty file migrated by the real `prisma migrate deploy`. */
  create(): string {
    if (!this.template) {
      this.template = path.join(this.tempDir(), "template.db");
      runPrisma(["migrate", "deploy"], { databaseUrl: `file:${this.template}`, quiet: true });
      // Fold the WAL back in so a copy of the main file is the whole migrated store.
      const db = openSqlite(`file:${this.template}`);
      db.pragma("wal_checkpoint(TRUNCATE)");
      db.close();
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

interface Span {
  fromMs: number;
  toMs: number;
}

async function ingestThroughput(quick: boolean, stores: StoreFactory): Promise<BenchResult[]> {
  const seeded = quick ? 200_000 : 1_000_000;
  const sim = await startSimulator(["--seed-spend-logs", String(seeded)]);
  try {
    const client = new LiteLLMClient({ baseUrl: sim.url, masterKey: sim.masterKey, timeoutMs: 30_000 });
    // Best of two in full mode: other work on this 2-core machine shows up as ±30 % between runs.
    const runs: PipelineRun[] = [];
    for (let i = 0; i < (quick ? 1 : 2); i++) runs.push(await runPipeline(stores.create(), client));
    for (const r of runs) await checkAgainstServed(client, r);
    const run = runs.reduce((a, b) => (b.ingestMs < a.ingestMs ? b : a));
    const value = run.stored / (run.ingestMs / 1000);

    // The baseline reads the same windows (the whole run, or its first part in quick mode: Prisma
    // is ~10x slower and quick must stay short) and must store what the pipeline stored there.
    const base = await runCreateMany(stores.create(), client, run.windows, quick ? 10_000 : Infinity);
    const want = countRequests(run.url, base.throughMs);
    if (base.stored !== want) throw new Error(`createMany stored ${base.stored} rows, the pipeline ${want} over the same windows`);
    const baseline = base.stored / (base.ms / 1000);
    printIngest(runs, run, base);
    return [{ name: "ingest_rows_per_s", value, unit: "rows/s", baseline, ratio: value / baseline }];
  } finally {
    await sim.stop();
  }
}

/** Every row the simulator serves for the windows the run read is stored, once. */
async function checkAgainstServed(client: LiteLLMClient, r: PipelineRun): Promise<void> {
  const served = await countServed(client, r.windows[0].fromMs, r.windows[r.windows.length - 1].toMs);
  if (r.stored !== served) throw new Error(`ingest stored ${r.stored} rows, the simulator serves ${served} for the window`);
}

function printIngest(runs: PipelineRun[], run: PipelineRun, base: CreateManyRun): void {
  console.log(
    `   ingest: ${run.stored.toLocaleString("en-US")} rows (= what the simulator serves for the window) in ${run.steps} steps; ` +
      `the figure is ingest alone (HTTP + JSON + normalize + SQLite), ${runs.map((r) => ms(r.ingestMs)).join(" / ")}` +
      `${runs.length > 1 ? " (best taken)" : ""}; series maintenance afterwards, not in it: ${ms(run.seriesMs)}`,
  );
  console.log(
    `   ingest time: ${ms(run.storeMs)} storing (${run.pages} pages, a transaction each), the rest waiting for, reading and parsing pages ` +
      `while the simulator builds them; this process used ${ms(run.cpuMs)} of CPU`,
  );
  console.log(
    `   baseline: Prisma createMany per page, same source and windows, ${base.stored.toLocaleString("en-US")} rows in ${ms(base.ms)}` +
      (base.windows < run.windows.length ? ` (first ${base.windows} of ${run.windows.length} windows)` : ""),
  );
}

interface PipelineRun {
  url: string;
  stored: number;
  steps: number;
  pages: number;
  ingestMs: number;
  storeMs: number;
  cpuMs: number;
  seriesMs: number;
  windows: Span[];
}

/** Times each commit of the real store (one transaction: a page of rows, dirty marks, maybe the cursor). */
class TimedStore implements IngestStore {
  ms = 0;
  constructor(private readonly inner: IngestStore) {}
  readCursor(source: string) {
    return this.inner.readCursor(source);
  }
  commit(source: string, rows: IngestRow[], cursor: Parameters<IngestStore["commit"]>[2]): CommitResult {
    const t0 = performance.now();
    try {
      return this.inner.commit(source, rows, cursor);
    } finally {
      this.ms += performance.now() - t0;
    }
  }
}

/** Inflight's ingest as the runner wires it, stepped until caught up; then the series, timed apart. */
async function runPipeline(url: string, client: LiteLLMClient): Promise<PipelineRun> {
  const db = openSqlite(url);
  try {
    const store = new TimedStore(new SqliteIngestStore(db));
    const ingest = new SpendLogIngest(new ProxySpendLogSource(client), store, TIMING, quiet);
    const windows: Span[] = [];
    let pages = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let r: StepReport;
    do {
      r = await ingest.step();
      windows.push(r.window);
      pages += r.pages;
    } while (r.behind);
    const ingestMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const series = new SeriesMaintainer(db, TIMING.maxRequestMs);
    const t1 = performance.now();
    while (series.run().changes.length > 0);
    const seriesMs = performance.now() - t1;
    const stored = db.prepare("SELECT COUNT(*) FROM request").pluck().get() as number;
    return { url, stored, steps: windows.length, pages, ingestMs, storeMs: store.ms, cpuMs: (cpu.user + cpu.system) / 1000, seriesMs, windows };
  } finally {
    db.close();
  }
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

function countRequests(url: string, throughMs: number): number {
  const db = openSqlite(url, { readonly: true });
  try {
    return db.prepare("SELECT COUNT(*) FROM request WHERE start_ms <= ?").pluck().get(throughMs) as number;
  } finally {
    db.close();
  }
}

/**
 * The baseline: the same HTTP source over the same windows, rows normalized the same way, but each
 * page stored with Prisma `createMany` (and the cursor with an upsert per window). SQLite has no
 * `skipDuplicates`, and a duplicate fails the whole batch, so rows a window shares with the one
 * before (the proxy's dates are whole seconds, both ends inclusive) are dropped first.
 */
interface CreateManyRun {
  stored: number;
  ms: number;
  windows: number;
  /** The last whole second the windows read cover. */
  throughMs: number;
}

async function runCreateMany(url: string, client: LiteLLMClient, windows: Span[], minRows: number): Promise<CreateManyRun> {
  const prisma = await openDb(url);
  try {
    const source = new ProxySpendLogSource(client);
    const keyIds = new Map<string, number>();
    let stored = 0;
    let done = 0;
    let prevEndMs = -Infinity; // the previous window's last whole second: its end date as sent
    const t0 = performance.now();
    for (const w of windows) {
      for await (const page of source.pages({ ...w, order: "startAsc" })) {
        const rows = page.rows.map(normalizeRow).filter((r): r is IngestRow => typeof r !== "string" && r.startMs > prevEndMs);
        const data = [];
        for (const r of rows) data.push(requestData(r, await keyId(prisma, keyIds, r.keyHash)));
        stored += (await prisma.request.createMany({ data })).count;
      }
      const cursor = { completeBeforeMs: BigInt(w.toMs), endWatermarkMs: BigInt(w.toMs), updatedAt: new Date() };
      await prisma.ingestCursor.upsert({ where: { source: "spend-logs" }, create: { source: "spend-logs", ...cursor }, update: cursor });
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

async function keyId(prisma: Db, cache: Map<string, number>, hash: string): Promise<number> {
  let id = cache.get(hash);
  if (id === undefined) {
    const key = await prisma.key.upsert({ where: { hash }, create: { hash, inCatalog: false, firstSeenAt: new Date() }, update: {} });
    cache.set(hash, (id = key.id));
  }
  return id;
}

// ---------------------------------------------------------------------------------------------
// range_query_24h_p95_ms

/** The read SeriesReader runs, pinned to the per-second table: 24 h cut to 1,500 buckets is 60 s each, which it would serve from the minute roll-up. */
function secondsReader(db: Sqlite) {
  const stmt = db.prepare(
    `SELECT (sec - ?) / ? AS b, MAX(max_in_flight) AS m, SUM(admitted) AS a, SUM(rejected) AS r
     FROM series_1s WHERE key_id = ? AND sec >= ? AND sec < ? GROUP BY b`,
  );
  return (keyId: number, fromSec: number, toSec: number, bucketSec: number): Bucket[] => {
    const base = Math.floor(fromSec / bucketSec) * bucketSec;
    const rows = stmt.all(BigInt(base), BigInt(bucketSec), keyId, fromSec, toSec) as { b: number | bigint; m: number; a: number; r: number }[];
    return bucketize(
      rows.map((row) => ({ sec: Math.max(fromSec, base + Number(row.b) * bucketSec), maxInFlight: row.m, admitted: row.a, rejected: row.r })),
      fromSec,
      toSec,
      bucketSec,
    );
  };
}

async function rangeQuery(quick: boolean, stores: StoreFactory): Promise<BenchResult[]> {
  const keys = quick ? 20 : 100;
  const url = stores.create();
  const fromSec = Math.floor(Date.now() / 1000 / DAY_SEC) * DAY_SEC - DAY_SEC; // yesterday, UTC
  const toSec = fromSec + DAY_SEC;
  const db = openSqlite(url);
  const prisma = await openDb(url);
  try {
    const fillMs = fillSeries(db, keys, fromSec);
    const bucketSec = 60;
    const maxPoints = 1500;
    const rand = mulberry32(0xca11);
    const pick = () => 1 + Math.floor(rand() * keys);
    const seconds = secondsReader(db);
    const reader = new SeriesReader(db);

    // Warm the OS cache the way a running server's would be, then time.
    for (let i = 0; i < 3; i++) seconds(pick(), fromSec, toSec, bucketSec);
    const queries = quick ? 60 : 200;
    const secTimes: number[] = [];
    const rollTimes: number[] = [];
    for (let i = 0; i < queries; i++) {
      const key = pick();
      let t0 = performance.now();
      const viaSeconds = seconds(key, fromSec, toSec, bucketSec);
      secTimes.push(performance.now() - t0);
      t0 = performance.now();
      const viaRollup = reader.read(key, fromSec, toSec, maxPoints);
      rollTimes.push(performance.now() - t0);
      if (viaRollup.resolution !== "1m" || viaRollup.bucketSec !== bucketSec) throw new Error(`SeriesReader chose ${viaRollup.resolution}/${viaRollup.bucketSec} s`);
      if (viaSeconds.length > maxPoints || !sameBuckets(viaSeconds, viaRollup.buckets)) throw new Error(`key ${key}: the 1 s path and the roll-up disagree`);
    }

    // Baseline: every per-second row through Prisma findMany, bucketed in JS; same buckets.
    const baseTimes: number[] = [];
    for (let i = 0; i < (quick ? 5 : 50); i++) {
      const key = pick();
      const t0 = performance.now();
      const rows = await prisma.seriesSecond.findMany({ where: { keyId: key, sec: { gte: BigInt(fromSec), lt: BigInt(toSec) } } });
      const buckets = bucketize(
        rows.map((r) => ({ sec: Number(r.sec), maxInFlight: r.maxInFlight, admitted: r.admitted, rejected: r.rejected })),
        fromSec,
        toSec,
        bucketSec,
      );
      baseTimes.push(performance.now() - t0);
      if (rows.length !== DAY_SEC || !sameBuckets(buckets, seconds(key, fromSec, toSec, bucketSec))) throw new Error(`key ${key}: findMany buckets differ`);
    }
    const value = percentile(secTimes, 0.95);
    const rollup = percentile(rollTimes, 0.95);
    const baseline = percentile(baseTimes, 0.95);
    console.log(
      `   range: ${keys} keys × 86,400 s (${(keys * DAY_SEC).toLocaleString("en-US")} rows in series_1s, filled in ${ms(fillMs)}); ` +
        `${queries} reads of one random key's 24 h into ${DAY_SEC / bucketSec} buckets of ${bucketSec} s; median ${percentile(secTimes, 0.5).toFixed(1)} ms from series_1s, ` +
        `${percentile(rollTimes, 0.5).toFixed(1)} ms from series_1m (SeriesReader's choice); same buckets both ways and from the baseline (${baseTimes.length} findMany reads)`,
    );
    return [
      { name: "range_query_24h_p95_ms", value, unit: "ms", baseline, ratio: baseline / value },
      { name: "range_query_24h_rollup_p95_ms", value: rollup, unit: "ms", baseline, ratio: baseline / rollup },
    ];
  } finally {
    await prisma.$disconnect();
    db.close();
  }
}

/**
 * 24 h of per-second rows for each key (and the minute roll-up the maintainer would write), key by
 * key in one transaction each: WITHOUT ROWID clusters by (key, second) whatever the write order.
 */
function fillSeries(db: Sqlite, keys: number, fromSec: number): number {
  const t0 = performance.now();
  const sec = db.prepare("INSERT INTO series_1s (key_id, sec, max_in_flight, admitted, rejected) VALUES (?, ?, ?, ?, ?)");
  const min = db.prepare("INSERT INTO series_1m (key_id, minute, max_in_flight, admitted, rejected) VALUES (?, ?, ?, ?, ?)");
  const rand = mulberry32(0x5e71e5);
  for (let k = 1; k <= keys; k++) {
    const scale = 2 + rand() * 40; // keys from quiet to busy
    db.transaction(() => {
      let m = 0;
      let a = 0;
      let r = 0;
      for (let i = 0; i < DAY_SEC; i++) {
        // A day/night swing, noise, and now and then a burst over the limit with some 429s.
        const load = scale * (0.55 + 0.45 * Math.sin((2 * Math.PI * i) / DAY_SEC));
        const burst = rand() < 0.001 ? scale * (1 + rand()) : 0;
        const maxInFlight = Math.max(1, Math.round(load + burst + rand() * 3));
        const admitted = Math.floor(rand() * (maxInFlight / 2 + 1));
        const rejected = burst > 0 ? Math.floor(rand() * 5) : 0;
        sec.run(k, fromSec + i, maxInFlight, admitted, rejected);
        m = Math.max(m, maxInFlight);
        a += admitted;
        r += rejected;
        if (i % 60 === 59) {
          min.run(k, fromSec + i - 59, m, a, r);
          m = a = r = 0;
        }
      }
    })();
  }
  db.pragma("wal_checkpoint(TRUNCATE)");
  return performance.now() - t0;
}

function sameBuckets(x: Bucket[], y: Bucket[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const p = x[i];
    const q = y[i];
    if (p.t !== q.t || p.maxInFlight !== q.maxInFlight || p.admitted !== q.admitted || p.rejected !== q.rejected) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// ingest_memory_growth_pct

interface ChildArgs {
  simUrl: string;
  masterKey: string;
  dbUrl: string;
  mode: "pipeline" | "seen-set";
  expectRows: number;
}

interface MemorySample {
  rows: number;
  rss: number;
  heapUsed: number;
}

interface ChildResult {
  warm: MemorySample;
  end: MemorySample;
  maxRssKb: number;
  ms: number;
}

const CHILD_FLAG = "--observe-memory-child";

/**
 * Each run ingests the simulator's whole seeded day in its own process (so nothing else this
 * suite allocated sits in its heap or RSS), with the series maintained after each step as the
 * runner does. Baseline: the same, plus the naive dedupe that remembers every request id seen.
 */
async function memoryGrowth(quick: boolean, stores: StoreFactory): Promise<BenchResult[]> {
  // Quick mode stays short: 300k rows (the SQLite page cache is still filling then, so only the full figure means much).
  const seeded = quick ? 300_000 : 10_000_000;
  const sim = await startSimulator(["--seed-spend-logs", String(seeded)]);
  try {
    const run = (mode: ChildArgs["mode"]) =>
      runChild({ simUrl: sim.url, masterKey: sim.masterKey, dbUrl: stores.create(), mode, expectRows: seeded });
    const pipe = await run("pipeline");
    const naive = await run("seen-set");
    const growth = (r: ChildResult) => ((r.end.rss - r.warm.rss) / r.warm.rss) * 100;
    const value = growth(pipe);
    const baseline = growth(naive);
    for (const [label, r] of [["pipeline", pipe], ["baseline (Set of seen ids)", naive]] as const) {
      console.log(
        `   memory, ${label}: RSS ${mb(r.warm.rss)} after ${r.warm.rows.toLocaleString("en-US")} rows → ${mb(r.end.rss)} after ` +
          `${r.end.rows.toLocaleString("en-US")} (${growth(r).toFixed(1)} %); heap used ${mb(r.warm.heapUsed)} → ${mb(r.end.heapUsed)}; ` +
          `peak RSS ${mb(r.maxRssKb * 1024)}; ${ms(r.ms)}`,
      );
    }
    if (quick) console.log("   (quick: at 300k rows SQLite's 64 MB page cache is still filling, so growth is high; the 10 M run is the figure)");
    return [{ name: "ingest_memory_growth_pct", value, unit: "%", baseline, ratio: baseline / Math.max(value, 0.1) }];
  } finally {
    await sim.stop();
  }
}

function runChild(args: ChildArgs): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(ROOT, "bench", "observe.ts"), CHILD_FLAG, JSON.stringify(args)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.once("error", reject);
    child.once("exit", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !last.startsWith("{")) reject(new Error(`memory run (${args.mode}) exited ${code}:\n${out}`));
      else resolve(JSON.parse(last) as ChildResult);
    });
  });
}

/** Remembers every request id it has stored and passes on only unseen rows: the naive dedupe. */
class SeenSetStore implements IngestStore {
  private readonly seen = new Set<string>();
  constructor(private readonly inner: IngestStore) {}
  readCursor(source: string) {
    return this.inner.readCursor(source);
  }
  commit(source: string, rows: IngestRow[], cursor: Parameters<IngestStore["commit"]>[2]): CommitResult {
    const fresh = rows.filter((r) => !this.seen.has(r.requestId));
    for (const r of fresh) this.seen.add(r.requestId);
    return this.inner.commit(source, fresh, cursor);
  }
}

/** In the child: ingest until caught up, sampling memory after a forced GC at ~10 % of the rows and at the end. */
async function memoryChild(args: ChildArgs): Promise<ChildResult> {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  const sample = (rows: number): MemorySample => {
    gc();
    const m = process.memoryUsage();
    return { rows, rss: m.rss, heapUsed: m.heapUsed };
  };
  const db = openSqlite(args.dbUrl);
  const client = new LiteLLMClient({ baseUrl: args.simUrl, masterKey: args.masterKey, timeoutMs: 30_000 });
  const sqliteStore = new SqliteIngestStore(db);
  const store = args.mode === "seen-set" ? new SeenSetStore(sqliteStore) : sqliteStore;
  const ingest = new SpendLogIngest(new ProxySpendLogSource(client), store, TIMING, quiet);
  const series = new SeriesMaintainer(db, TIMING.maxRequestMs);
  let rows = 0;
  let warm: MemorySample | null = null;
  const t0 = performance.now();
  let r: StepReport;
  do {
    r = await ingest.step();
    while (series.run().changes.length > 0);
    rows += r.inserted;
    if (!warm && rows >= args.expectRows / 10) warm = sample(rows);
  } while (r.behind);
  const ms = performance.now() - t0;
  const end = sample(rows);
  db.close();
  if (!warm) throw new Error(`ingested only ${rows} rows`);
  return { warm, end, maxRssKb: process.resourceUsage().maxRSS, ms };
}

const childAt = process.argv.indexOf(CHILD_FLAG);
if (childAt >= 0) {
  memoryChild(JSON.parse(process.argv[childAt + 1]) as ChildArgs).then(
    (r) => console.log(JSON.stringify(r)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

// ---------------------------------------------------------------------------------------------

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
}

function ms(t: number): string {
  return t >= 10_000 ? `${(t / 1000).toFixed(1)} s` : `${Math.round(t)} ms`;
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(0)} MB`;
}
