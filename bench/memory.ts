// ingest_memory_growth_pct (SQLite store): how much the ingest process's RSS grows from 10 % of a
// large backlog to its end, with the series maintained after each step as the runner does
// (observePipeline's step). Baseline: the same pipeline plus the naive dedupe that remembers every
// request id seen. Each run is a child process of its own (this file, with CHILD_FLAG), so nothing
// else the bench allocated sits in its heap or RSS.
import { spawn } from "node:child_process";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import type { StepReport } from "@/lib/ingest/ingest";
import type { IngestRow } from "@/lib/ingest/normalize";
import type { IngestRepository } from "@/lib/ingest/repository";
import { LiteLLMClient } from "@/lib/litellm/client";
import { observePipeline } from "@/lib/server/pipeline";
import { openStore } from "@/lib/store/open";
import { startSimulator } from "../tests/support/simulator";
import { count, mb, ms } from "./format";
import { TIMING, quiet } from "./seeded";
import type { BenchStores } from "./stores";
import type { BenchResult } from "./types";

const ROOT = path.resolve(__dirname, "..");
const CHILD_FLAG = "--memory-child";

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

export async function memoryFigures(quick: boolean, stores: BenchStores): Promise<BenchResult[]> {
  // Quick mode stays short: 150k rows (the SQLite page cache is still filling then, so only the full figure means much).
  // Full: 5 M rows (10 M took ~8 minutes of the full run for the same answer: flat against linear growth).
  const seeded = quick ? 150_000 : 5_000_000;
  console.log(`   scale: the simulator seeded with ${count(seeded)} spend-log rows over 24 h, each run ingesting all of them into a fresh SQLite store`);
  const sim = await startSimulator(["--seed-spend-logs", String(seeded)]);
  try {
    const run = async (mode: ChildArgs["mode"]) => {
      const dbUrl = await stores.fresh("sqlite");
      try {
        return await runChild({ simUrl: sim.url, masterKey: sim.masterKey, dbUrl, mode, expectRows: seeded });
      } finally {
        await stores.remove(dbUrl);
      }
    };
    const pipe = await run("pipeline");
    const naive = await run("seen-set");
    const growth = (r: ChildResult) => ((r.end.rss - r.warm.rss) / r.warm.rss) * 100;
    const value = growth(pipe);
    const baseline = growth(naive);
    for (const [label, r] of [["pipeline", pipe], ["baseline (Set of seen ids)", naive]] as const) {
      console.log(
        `   memory, ${label}: RSS ${mb(r.warm.rss)} after ${count(r.warm.rows)} rows → ${mb(r.end.rss)} after ` +
          `${count(r.end.rows)} (${growth(r).toFixed(1)} %); heap used ${mb(r.warm.heapUsed)} → ${mb(r.end.heapUsed)}; ` +
          `peak RSS ${mb(r.maxRssKb * 1024)}; ${ms(r.ms)}`,
      );
    }
    if (quick) console.log("   (quick: at 150k rows SQLite's 64 MB page cache is still filling, so growth is high; the full 5 M run is the figure)");
    return [{ name: "ingest_memory_growth_pct", value, unit: "%", baseline, ratio: baseline / Math.max(value, 0.1) }];
  } finally {
    await sim.stop();
  }
}

function runChild(args: ChildArgs): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(ROOT, "bench", "memory.ts"), CHILD_FLAG, JSON.stringify(args)], {
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
class SeenSetIngest implements IngestRepository {
  private readonly seen = new Set<string>();
  constructor(private readonly inner: IngestRepository) {}
  readCursor(source: string) {
    return this.inner.readCursor(source);
  }
  commit(source: string, rows: IngestRow[], ...rest: Parameters<IngestRepository["commit"]> extends [unknown, unknown, ...infer R] ? R : never) {
    const fresh = rows.filter((r) => !this.seen.has(r.requestId));
    for (const r of fresh) this.seen.add(r.requestId);
    return this.inner.commit(source, fresh, ...rest);
  }
  admittedOverlapping(...args: Parameters<IngestRepository["admittedOverlapping"]>) {
    return this.inner.admittedOverlapping(...args);
  }
  anyStartedSince(sinceMs: number) {
    return this.inner.anyStartedSince(sinceMs);
  }
  longestRequests(keyIds: number[]) {
    return this.inner.longestRequests(keyIds);
  }
  countStarted(fromMs: number, toMs: number) {
    return this.inner.countStarted(fromMs, toMs);
  }
}

/** In the child: the runner's pipeline steps until caught up, sampling memory after a forced GC at ~10 % of the rows and at the end. */
async function memoryChild(args: ChildArgs): Promise<ChildResult> {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  const sample = (rows: number): MemorySample => {
    gc();
    const m = process.memoryUsage();
    return { rows, rss: m.rss, heapUsed: m.heapUsed };
  };
  const store = await openStore(args.dbUrl);
  const client = new LiteLLMClient({ baseUrl: args.simUrl, apiKey: args.masterKey, timeoutMs: 30_000 });
  const ingest = args.mode === "seen-set" ? new SeenSetIngest(store.ingest) : store.ingest;
  const pipeline = observePipeline({ store: { ingest, series: store.series }, client, timing: TIMING, log: quiet });
  let rows = 0;
  let warm: MemorySample | null = null;
  const t0 = performance.now();
  let r: StepReport;
  do {
    r = await pipeline.step();
    rows += r.inserted;
    if (!warm && rows >= args.expectRows / 10) warm = sample(rows);
  } while (r.behind);
  const elapsed = performance.now() - t0;
  const end = sample(rows);
  await store.close();
  if (!warm) throw new Error(`ingested only ${rows} rows`);
  return { warm, end, maxRssKb: process.resourceUsage().maxRSS, ms: elapsed };
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
