// Range-query figures, on each store: one key's 24 h read into 1,440 buckets of 60 s, as the key
// page asks for it, over a store of N keys × 86,400 per-second rows (and their minute roll-up).
//
// - range_query_24h_p95_ms[_postgres]: from the per-second table through the repository
//   (`store.series.buckets`, resolution "1s", grouped in the store, then bucketized as
//   lib/series/read.ts does).
// - range_query_24h_rollup_p95_ms[_postgres]: lib/series/read.ts readSeriesWindow, which serves a
//   24 h range cut to ≤ 1,500 points from the minute roll-up.
// Baseline for both: Prisma findMany of the key's 86,400 rows on the same store, bucketed in JS.
// All three must give the same buckets.
import { bucketize, type Bucket } from "@/lib/concurrency/downsample";
import type { SecondSeries } from "@/lib/concurrency/sweep";
import { readSeriesWindow } from "@/lib/series/read";
import type { Store } from "@/lib/store/store";
import { mulberry32 } from "@/lib/traffic/prng";
import { emptySeries, seriesFill } from "./fill";
import { bestP95, count, median, ms, percentile } from "./format";
import { DIALECTS, figureName, openPrisma, settle, type BenchStores } from "./stores";
import type { BenchResult } from "./types";

const DAY_SEC = 86_400;
const BUCKET_SEC = 60;
const MAX_POINTS = 1500;

export async function rangeQueryFigures(quick: boolean, stores: BenchStores): Promise<BenchResult[]> {
  const keys = quick ? 10 : 100;
  const fromSec = Math.floor(Date.now() / 1000 / DAY_SEC) * DAY_SEC - DAY_SEC; // yesterday, UTC
  const toSec = fromSec + DAY_SEC;
  // Best p95 of several rounds (bench/format.ts bestP95).
  const rounds = quick ? 2 : 4;
  const queries = quick ? 20 : 50;
  const baseQueries = quick ? 3 : 40;
  console.log(
    `   scale: ${keys} keys × 86,400 s of yesterday (UTC) = ${count(keys * DAY_SEC)} rows in series_1s and ${count(keys * 1440)} in series_1m, ` +
      `the same data on both stores; ${rounds} rounds of ${queries} reads of a random key's 24 h into ${DAY_SEC / BUCKET_SEC} buckets of ${BUCKET_SEC} s each way, ${baseQueries} by Prisma`,
  );
  const results: BenchResult[] = [];
  for (const d of DIALECTS) {
    const { url, store } = await stores.open(d);
    try {
      const fillMs = await fill(url, store, keys, fromSec, toSec);
      await settle(url);
      const rand = mulberry32(0xca11);
      const pick = () => 1 + Math.floor(rand() * keys);
      const seconds = (keyId: number) => secondsBuckets(store, keyId, fromSec, toSec);

      // Warm the caches the way a running server's would be, then time.
      for (let i = 0; i < 3; i++) await seconds(pick());
      const secTimes: number[][] = [];
      const rollTimes: number[][] = [];
      for (let round = 0; round < rounds; round++) {
        secTimes.push([]);
        rollTimes.push([]);
        for (let i = 0; i < queries; i++) {
          const key = pick();
          let t0 = performance.now();
          const viaSeconds = await seconds(key);
          secTimes[round].push(performance.now() - t0);
          t0 = performance.now();
          const viaRollup = await readSeriesWindow(store.series, key, fromSec, toSec, MAX_POINTS);
          rollTimes[round].push(performance.now() - t0);
          if (viaRollup.resolution !== "1m" || viaRollup.bucketSec !== BUCKET_SEC) throw new Error(`readSeriesWindow chose ${viaRollup.resolution}/${viaRollup.bucketSec} s`);
          if (viaSeconds.length > MAX_POINTS || !sameBuckets(viaSeconds, viaRollup.buckets)) throw new Error(`${d} key ${key}: the 1 s path and the roll-up disagree`);
        }
      }

      // Baseline: every per-second row through Prisma findMany, bucketed in JS; same buckets.
      const prisma = await openPrisma(url);
      const baseTimes: number[] = [];
      try {
        for (let i = 0; i < baseQueries; i++) {
          const key = pick();
          const t0 = performance.now();
          const rows = await prisma.seriesSecond.findMany({ where: { keyId: key, sec: { gte: BigInt(fromSec), lt: BigInt(toSec) } } });
          const buckets = bucketize(
            rows.map((r) => ({ sec: Number(r.sec), maxInFlight: r.maxInFlight, admitted: r.admitted, rejected: r.rejected })),
            fromSec,
            toSec,
            BUCKET_SEC,
          );
          baseTimes.push(performance.now() - t0);
          if (rows.length !== DAY_SEC || !sameBuckets(buckets, await seconds(key))) throw new Error(`${d} key ${key}: findMany buckets differ`);
        }
      } finally {
        await prisma.$disconnect();
      }
      const secP95 = bestP95(secTimes);
      const rollP95 = bestP95(rollTimes);
      const value = secP95.value;
      const rollup = rollP95.value;
      const baseline = percentile(baseTimes, 0.95);
      console.log(
        `   ${d}: filled in ${ms(fillMs)}; from series_1s median ${median(secTimes.flat()).toFixed(1)} ms, p95 per round ${fmtRounds(secP95.rounds)}; ` +
          `from series_1m (readSeriesWindow's choice) median ${median(rollTimes.flat()).toFixed(1)} ms, p95 per round ${fmtRounds(rollP95.rounds)} (best taken); ` +
          `findMany median ${median(baseTimes).toFixed(1)} ms; the same buckets all three ways`,
      );
      results.push(
        { name: figureName("range_query_24h_p95_ms", d), value, unit: "ms", baseline, ratio: baseline / value },
        { name: figureName("range_query_24h_rollup_p95_ms", d), value: rollup, unit: "ms", baseline, ratio: baseline / rollup },
      );
    } finally {
      await store.close();
      await stores.remove(url);
    }
  }
  return results;
}

/** The 1 s read: grouped per bucket in the store (the repository), then bucketized as lib/series/read.ts does. */
async function secondsBuckets(store: Store, keyId: number, fromSec: number, toSec: number): Promise<Bucket[]> {
  const rows = await store.series.buckets({ keyIds: [keyId], resolution: "1s", fromSec, toSec, bucketSec: BUCKET_SEC });
  return bucketize(
    rows.map((r) => ({ sec: Math.max(fromSec, r.t), maxInFlight: r.maxInFlight, admitted: r.admitted, rejected: r.rejected })),
    fromSec,
    toSec,
    BUCKET_SEC,
  );
}

/** The same data on both stores: each key's day from its own seeded PRNG. */
async function fill(url: string, store: Store, keys: number, fromSec: number, toSec: number): Promise<number> {
  const t0 = performance.now();
  const filler = await seriesFill(url, store, fromSec, toSec);
  try {
    for (let k = 1; k <= keys; k++) await filler.key(k, keyDay(k, fromSec));
  } finally {
    await filler.done();
  }
  return performance.now() - t0;
}

/**
 * A key's day, every second busy: a day/night swing scaled per key (quiet to busy), noise, and
 * now and then a burst over the usual level with some 429s.
 */
function keyDay(k: number, fromSec: number): SecondSeries {
  const rand = mulberry32(0x5e71e5 + k * 0x9e3779b9);
  const s = emptySeries(fromSec, fromSec + DAY_SEC);
  const scale = 2 + rand() * 40;
  for (let i = 0; i < DAY_SEC; i++) {
    const load = scale * (0.55 + 0.45 * Math.sin((2 * Math.PI * i) / DAY_SEC));
    const burst = rand() < 0.001 ? scale * (1 + rand()) : 0;
    const maxInFlight = Math.max(1, Math.round(load + burst + rand() * 3));
    s.maxInFlight[i] = maxInFlight;
    s.admitted[i] = Math.floor(rand() * (maxInFlight / 2 + 1));
    s.rejected[i] = burst > 0 ? Math.floor(rand() * 5) : 0;
  }
  return s;
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

const fmtRounds = (p95s: number[]) => `${p95s.map((p) => p.toFixed(1)).join(" / ")} ms`;
