// overview_500_keys_p95_ms[_postgres]: p95 of lib/overview/overview.ts `overview(store, from, to)`
// for the range the page opens with (the last 24 h), on each store, over 500 catalog keys filled at
// the scale printed (see fillOverviewStore). Baseline: the same answer computed the straightforward
// Prisma way on the same store: per key, findMany of its limit changes, its minute roll-up over
// the range widened to whole minutes, its seconds above its lowest limit and its recent seconds,
// findFirst of its newest belief; then the same pure domain functions (limit steps, status,
// episodes, buckets). Both must list the same keys with the same peak, admitted, rejected, limit
// now and in flight now (the baseline counts time over the limit by the second; how many statuses
// agree is printed). Goal (issue #9): p95 at most 50 ms on each store. A profiled pass then says
// which repository call the real overview spends its time in.
import type { Overview, OverviewRow } from "@/lib/api/keys";
import { diffCatalog } from "@/lib/catalog/diff";
import { limitSteps } from "@/lib/catalog/limit-steps";
import { bucketize } from "@/lib/concurrency/downsample";
import type { SecondSeries } from "@/lib/concurrency/sweep";
import { SPEND_LOG_SOURCE } from "@/lib/ingest/ingest";
import { BELIEF_FRESH_MS, RECENT_WINDOW_S } from "@/lib/key-state/read";
import { keyStatus, severity } from "@/lib/key-state/status";
import type { StoredSample } from "@/lib/limiter/repository";
import type { VirtualKey } from "@/lib/litellm/schemas";
import { overview } from "@/lib/overview/overview";
import { seriesPlan } from "@/lib/series/read";
import type { Dialect, Store } from "@/lib/store/store";
import { mulberry32 } from "@/lib/traffic/prng";
import { episodesAbove, limitAt } from "@/lib/violations/episodes";
import { emptySeries, seriesFill } from "./fill";
import { bestP95, count, median, ms, percentile } from "./format";
import { DIALECTS, figureName, openPrisma, settle, type BenchPrisma, type BenchStores } from "./stores";
import type { BenchResult } from "./types";

const KEYS = 500;
const DAY_MS = 86_400_000;
const HOUR_S = 3600;
/** The sparkline's points, as the page shows them (lib/overview/overview.ts): hours for a day or more. */
const sparkPoints = (rangeMs: number) => (rangeMs >= DAY_MS ? 24 : 60);
const GOAL_MS = 50;

export async function overviewFigures(quick: boolean, stores: BenchStores): Promise<BenchResult[]> {
  // Best p95 of several rounds (bench/format.ts bestP95).
  const rounds = quick ? 2 : 4;
  const runs = quick ? 20 : 50;
  const baseRuns = quick ? 1 : 10;
  const profileRuns = quick ? 5 : 30;
  const results: BenchResult[] = [];
  for (const d of DIALECTS) {
    const { url, store } = await stores.open(d);
    try {
      const t0 = performance.now();
      const scale = await fillOverviewStore(url, store);
      await settle(url);
      const fillMs = performance.now() - t0;
      if (d === DIALECTS[0]) console.log(`   scale: ${scale.describe}`);
      const fromMs = scale.nowMs - DAY_MS;
      const toMs = scale.nowMs;

      for (let i = 0; i < 3; i++) await overview(store, fromMs, toMs); // warm-up
      const times: number[][] = [];
      let answer: Overview | undefined;
      for (let r = 0; r < rounds; r++) {
        times.push([]);
        for (let i = 0; i < runs; i++) {
          const t = performance.now();
          answer = await overview(store, fromMs, toMs);
          times[r].push(performance.now() - t);
        }
      }
      if (answer!.rows.length !== KEYS) throw new Error(`${d}: the overview lists ${answer!.rows.length} keys, not ${KEYS}`);

      const prisma = await openPrisma(url);
      const baseTimes: number[] = [];
      let statusesAgree = 0;
      try {
        for (let i = 0; i < baseRuns; i++) {
          const t = performance.now();
          const naive = await overviewViaPrisma(prisma, fromMs, toMs);
          baseTimes.push(performance.now() - t);
          if (i === 0) statusesAgree = checkSame(d, answer!, naive);
        }
      } finally {
        await prisma.$disconnect();
      }
      const profile = await profileOverview(store, fromMs, toMs, profileRuns);

      const { value, rounds: p95s } = bestP95(times);
      const baseline = percentile(baseTimes, 0.95);
      const statuses = new Map<string, number>();
      for (const r of answer!.rows) statuses.set(r.state.status, (statuses.get(r.state.status) ?? 0) + 1);
      console.log(
        `   ${d}: filled in ${ms(fillMs)}; overview of the last 24 h, ${rounds} rounds of ${runs} runs: median ${median(times.flat()).toFixed(1)} ms, ` +
          `p95 per round ${p95s.map((p) => p.toFixed(1)).join(" / ")} ms, best ${value.toFixed(1)} ms ` +
          `(goal ≤ ${GOAL_MS} ms: ${value <= GOAL_MS ? "met" : "MISSED"}); Prisma per key over ${baseRuns} run${baseRuns === 1 ? "" : "s"}: median ${ms(median(baseTimes))}; ` +
          `the same peak, admitted, rejected, limit and in flight now for all ${KEYS} keys both ways; statuses ${[...statuses].map(([s, n]) => `${n} ${s}`).join(", ")} ` +
          `(the Prisma way agrees on ${statusesAgree})`,
      );
      console.log(`   ${d} where the overview's time goes (${profileRuns} profiled runs, median per run; ${profile.note}):`);
      for (const line of profile.lines) console.log(`     ${line}`);
      results.push({ name: figureName("overview_500_keys_p95_ms", d), value, unit: "ms", baseline, ratio: baseline / value });
    } finally {
      await store.close();
      await stores.remove(url);
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// The store: 500 catalog keys, a day and an hour of truth, limits and their changes, beliefs, cursor

interface OverviewScale {
  nowMs: number;
  describe: string;
}

type Kind = "busy" | "sporadic" | "idle";
const kindOf = (i: number): Kind => (i % 10 === 0 ? "busy" : i % 10 <= 4 ? "sporadic" : "idle");

/**
 * 500 keys as a catalog sync writes them (3 days ago), a tenth of them with their limit lowered
 * 6 h ago (a second sync); 25 h of per-second truth up to the ingest watermark (20 s before now)
 * with its minute roll-up: 10 % of the keys busy every second (a day/night swing at 30-70 % of
 * their limit), 40 % sporadic (sessions of 10-120 s, about one every 30 min), 50 % idle (no rows);
 * a few keys above their limit (bursts of 20-120 s, one of them in the last minutes), one key
 * "stuck" (429s with nothing in flight); LiteLLM's belief sampled every second for every key over
 * the last 10 minutes; the ingest cursor at the watermark. Generated the same way on both stores (seeded per key).
 */
export async function fillOverviewStore(url: string, store: Store): Promise<OverviewScale> {
  const nowMs = Date.now();
  const watermarkMs = nowMs - 20_000;
  const wSec = Math.floor(watermarkMs / 1000);
  const fromSec = Math.floor((nowMs / 1000 - 25 * HOUR_S) / 60) * 60;
  const toSec = Math.ceil((wSec + 1) / 60) * 60;

  // The catalog: each kind's limits; a tenth of the keys had theirs lowered by 10 six hours ago.
  const changed = (i: number) => i % 10 === 3 || i % 40 === 0;
  const limitOf = (i: number, before = false): number | null => {
    const kind = kindOf(i);
    const now = kind === "busy" ? 20 + ((i / 10) % 5) * 10 : kind === "sporadic" ? 5 + (i % 4) * 5 : i % 2 ? 10 : null;
    return before && changed(i) && now !== null ? now + 10 : now;
  };
  const vkey = (i: number, before = false): VirtualKey => ({
    token: `bench-${i.toString(16).padStart(4, "0")}`.padEnd(64, "0"),
    key_alias: `key-${i}`,
    key_name: null,
    team_id: `team-${i % 12}`,
    user_id: null,
    max_parallel_requests: limitOf(i, before),
    rpm_limit: i % 3 === 0 ? 600 : null,
    tpm_limit: null,
    blocked: false,
    metadata: {},
    spend: 0,
    models: [],
  });
  const idx = Array.from({ length: KEYS }, (_, i) => i);
  await store.catalog.apply(diffCatalog([], idx.map((i) => vkey(i, true))), nowMs - 3 * DAY_MS);
  const later = diffCatalog(await store.catalog.storedKeys(), idx.map((i) => vkey(i)));
  await store.catalog.apply(later, nowMs - 6 * HOUR_S * 1000);
  const byHash = new Map((await store.catalog.listedKeys()).map((k) => [k.hash, k.id]));
  const ids = idx.map((i) => byHash.get(vkey(i).token)!);

  // The truth series.
  const filler = await seriesFill(url, store, fromSec, toSec);
  let seconds = 0;
  let minutes = 0;
  let violating = 0;
  try {
    for (const i of idx) {
      // Each key from its own seeded PRNG: the same traffic on both stores, shifted to their "now".
      const rand = mulberry32(0x0e1e + i * 0x9e3779b9);
      const limit = limitOf(i) ?? 30;
      const s = emptySeries(fromSec, toSec);
      const n = wSec - fromSec; // nothing at or after the watermark second
      const kind = kindOf(i);
      if (kind === "busy") {
        const level = limit * (0.3 + 0.4 * rand());
        for (let t = 0; t < n; t++) {
          const load = level * (0.6 + 0.4 * Math.sin((2 * Math.PI * (fromSec + t)) / 86_400));
          const m = Math.max(1, Math.min(limit, Math.round(load + rand() * 3 - 1)));
          s.maxInFlight[t] = m;
          s.admitted[t] = Math.floor(rand() * (m / 2 + 1));
        }
      } else if (kind === "sporadic") {
        for (let t = Math.floor(rand() * 1800); t < n; t += 300 + Math.floor(-Math.log(1 - rand()) * 1500)) {
          const len = 10 + Math.floor(rand() * 110);
          const peak = 1 + Math.floor(rand() * limit * 0.6);
          for (let u = t; u < Math.min(n, t + len); u++) {
            const m = 1 + Math.floor(rand() * peak);
            s.maxInFlight[u] = m;
            s.admitted[u] = Math.floor(rand() * (m + 1));
          }
        }
      }
      // A few violations: bursts above the limit with some 429s (for key 0, one in the last minutes).
      if (kind !== "idle" && i % 50 === 0) {
        violating++;
        for (let b = 0; b < 3; b++) {
          const at = b === 0 && i === 0 ? n - 200 : Math.floor(rand() * (n - 200));
          const len = 20 + Math.floor(rand() * 100);
          for (let u = at; u < Math.min(n, at + len); u++) {
            s.maxInFlight[u] = limit + 1 + Math.floor(rand() * limit * 0.5);
            s.admitted[u] += 1;
            s.rejected[u] = Math.floor(rand() * 3);
          }
        }
      }
      // One stuck key (#27955): 429s over the last minutes with nothing in flight.
      if (i === 7) for (let u = n - 240; u < n; u += 3) s.rejected[u] = 1 + Math.floor(rand() * 2);
      const w = await filler.key(ids[i], s);
      seconds += w.seconds;
      minutes += w.minutes;
    }
  } finally {
    await filler.done();
  }

  // LiteLLM's belief, every second for every catalog key over the last 10 minutes.
  const sampleFrom = nowMs - 600_000;
  let samples = 0;
  const rand = mulberry32(0xbe11ef);
  for (let at = sampleFrom; at < nowMs; at += 10_000) {
    const batch: StoredSample[] = [];
    for (const i of idx) {
      for (let a = at; a < at + 10_000; a += 1000) {
        const kind = kindOf(i);
        const believed = i === 7 ? (limitOf(i) ?? 0) : kind === "busy" ? Math.floor(rand() * (limitOf(i) ?? 10)) : 0;
        batch.push({ keyId: ids[i], atMs: a, era: "gauge", believedInFlight: believed, rawCounter: believed, windowStartS: null, requests: null, tokens: null });
      }
    }
    await store.samples.insert(batch);
    samples += batch.length;
  }
  await store.ingest.commit(SPEND_LOG_SOURCE, [], { completeBeforeMs: watermarkMs - 120_000, endWatermarkMs: watermarkMs });

  const changes = later.limitChanges.length;
  return {
    nowMs,
    describe:
      `${KEYS} catalog keys (${KEYS / 10} busy every second, ${(KEYS * 4) / 10} sporadic, ${KEYS / 2} idle; ${changes} limits changed 6 h ago; ` +
      `${violating} keys with bursts above their limit, 1 stuck); 25 h of truth up to the watermark: ${count(seconds)} rows in series_1s, ` +
      `${count(minutes)} in series_1m; ${count(samples)} limiter samples (every key, every second, last 10 min); no request rows ` +
      `(the overview reads none); the range is the last 24 h, as the page opens; generated the same way on both stores`,
  };
}

// ---------------------------------------------------------------------------------------------
// The Prisma way

const END = Number.MAX_SAFE_INTEGER;

/** The overview as a straightforward Prisma implementation computes it: key by key, a handful of findMany each. */
async function overviewViaPrisma(prisma: BenchPrisma, fromMs: number, toMs: number, nowMs = Date.now()): Promise<Overview> {
  const fromSec = Math.floor(fromMs / 1000);
  const toSec = Math.ceil(toMs / 1000);
  const firstMinute = Math.floor(fromSec / 60) * 60;
  const lastMinute = Math.ceil(toSec / 60) * 60;
  const { bucketSec } = seriesPlan(fromSec, toSec, sparkPoints(toMs - fromMs));
  // The store's listedKeys also lists keys seen only in spend logs: this store has none.
  const keys = await prisma.key.findMany({ where: { inCatalog: true }, orderBy: { id: "asc" } });
  const cursor = await prisma.ingestCursor.findUnique({ where: { source: SPEND_LOG_SOURCE } });
  const watermarkMs = cursor ? Math.max(Number(cursor.completeBeforeMs), Number(cursor.endWatermarkMs)) : null;
  const wSec = watermarkMs === null ? null : Math.floor(watermarkMs / 1000);
  const recentFromSec = wSec === null ? END : wSec - RECENT_WINDOW_S;
  const lookFromSec = Math.min(fromSec, recentFromSec);

  const rows: OverviewRow[] = [];
  for (const k of keys) {
    const changes = await prisma.keyLimitChange.findMany({ where: { keyId: k.id }, orderBy: [{ effectiveFromMs: "asc" }, { id: "asc" }] });
    const steps = limitSteps(
      changes.map((c) => ({
        keyId: c.keyId,
        fromMs: Number(c.effectiveFromMs),
        maxParallelRequests: c.maxParallelRequests,
        rpmLimit: c.rpmLimit === null ? null : Number(c.rpmLimit),
        tpmLimit: c.tpmLimit === null ? null : Number(c.tpmLimit),
        source: c.source,
      })),
      lookFromSec * 1000,
      END,
    );
    const limitNow = steps.length ? steps[steps.length - 1].maxParallelRequests : k.maxParallelRequests;

    // Totals: the range widened to whole minutes, from the minute roll-up; the sparkline from the minutes.
    const minuteRows = await prisma.seriesMinute.findMany({ where: { keyId: k.id, minute: { gte: BigInt(firstMinute), lt: BigInt(lastMinute) } } });
    let peak = 0;
    let admitted = 0;
    let rejected = 0;
    const total = (r: { maxInFlight: number; admitted: number; rejected: number }) => {
      peak = Math.max(peak, r.maxInFlight);
      admitted += r.admitted;
      rejected += r.rejected;
    };
    for (const m of minuteRows) total(m);
    const sparkline = bucketize(
      minuteRows.map((m) => ({ sec: Math.max(fromSec, Number(m.minute)), maxInFlight: m.maxInFlight, admitted: m.admitted, rejected: m.rejected })),
      fromSec,
      toSec,
      bucketSec,
    ).map((b) => b.maxInFlight);

    // Seconds above the lowest limit the key had, then compared with the limit in force at each.
    const limits = steps.map((s) => s.maxParallelRequests).filter((l): l is number => l !== null);
    const above = limits.length
      ? await prisma.seriesSecond.findMany({
          where: { keyId: k.id, sec: { gte: BigInt(lookFromSec) }, maxInFlight: { gt: Math.min(...limits) } },
          orderBy: { sec: "asc" },
        })
      : [];
    const overRows = above.map((r) => ({ sec: Number(r.sec), maxInFlight: r.maxInFlight })).filter((r) => r.maxInFlight > (limitAt(steps, r.sec) ?? Infinity));
    const inRange = overRows.filter((r) => r.sec >= fromSec && r.sec < toSec);

    // "Now": the recent seconds, the last complete second, LiteLLM's newest belief.
    const recent = wSec === null ? [] : await prisma.seriesSecond.findMany({ where: { keyId: k.id, sec: { gte: BigInt(Math.floor(recentFromSec / 60) * 60) } } });
    const belief = await prisma.limiterSample.findFirst({ where: { keyId: k.id, atMs: { gte: BigInt(nowMs - BELIEF_FRESH_MS) } }, orderBy: { atMs: "desc" } });
    const believedNow = belief?.believedInFlight ?? null;
    const status = keyStatus({
      limitNow,
      admitted,
      rejected,
      exceededInRange: inRange.length > 0,
      exceededRecently: overRows.some((r) => r.sec >= recentFromSec),
      recentPeak: Math.max(0, ...recent.map((r) => r.maxInFlight)),
      recentRejected: recent.reduce((n, r) => n + r.rejected, 0),
      believed: believedNow,
    });
    // The highest in-flight / limit in force: over the seconds above a limit, else the peak over the limit now (or the last one set).
    let peakRatio: number | null = null;
    for (const r of inRange) {
      const limit = limitAt(steps, r.sec);
      if (limit) peakRatio = Math.max(peakRatio ?? 0, r.maxInFlight / limit);
    }
    if (peakRatio === null) {
      const fallback = limitNow ?? [...steps].reverse().find((s) => s.maxParallelRequests !== null)?.maxParallelRequests ?? null;
      peakRatio = fallback ? peak / fallback : null;
    }
    rows.push({
      hash: k.hash,
      alias: k.alias,
      teamId: k.teamId,
      maxParallelRequests: k.maxParallelRequests,
      rpmLimit: k.rpmLimit === null ? null : Number(k.rpmLimit),
      tpmLimit: k.tpmLimit === null ? null : Number(k.tpmLimit),
      inCatalog: k.inCatalog,
      state: {
        status,
        severity: severity(status, peakRatio),
        limitNow,
        peak,
        admitted,
        rejected,
        peakRatio,
        violations: episodesAbove(inRange, steps).length,
        secondsOver: inRange.length,
        inFlightNow: recent.find((r) => Number(r.sec) === wSec! - 1)?.maxInFlight ?? 0,
        believedNow,
      },
      sparkline,
      live: null,
    });
  }
  rows.sort((x, y) => y.state.severity - x.state.severity || (x.alias ?? x.hash).localeCompare(y.alias ?? y.hash));
  const teams = [...new Set(rows.map((r) => r.teamId).filter((t): t is string => t !== null))].sort();
  return { fromMs, toMs, watermarkMs, rows, teams, tracker: null };
}

/**
 * The same keys with the same peak, admitted, rejected, limit now and in flight now; returns how
 * many statuses agree (the store may count time over the limit by the minute in long ranges, the
 * baseline counts it by the second).
 */
function checkSame(d: Dialect, real: Overview, naive: Overview): number {
  if (real.watermarkMs !== naive.watermarkMs || real.teams.join() !== naive.teams.join()) throw new Error(`${d}: the Prisma overview's watermark or teams differ`);
  const fields = (r: OverviewRow) => {
    const { peak, admitted, rejected, limitNow, inFlightNow } = r.state;
    return JSON.stringify({ peak, admitted, rejected, limitNow, inFlightNow });
  };
  const byHash = new Map(naive.rows.map((r) => [r.hash, r]));
  if (byHash.size !== real.rows.length) throw new Error(`${d}: the store lists ${real.rows.length} keys, the Prisma way ${byHash.size}`);
  let statuses = 0;
  for (const r of real.rows) {
    const n = byHash.get(r.hash);
    if (!n || fields(r) !== fields(n)) throw new Error(`${d}: key ${r.alias ?? r.hash} differs from the Prisma way:\n  store:  ${fields(r)}\n  prisma: ${n ? fields(n) : "absent"}`);
    if (r.state.status === n.state.status) statuses++;
  }
  return statuses;
}

// ---------------------------------------------------------------------------------------------
// Where the time goes

/**
 * The overview on a store whose repository calls are timed, by method (and resolution). On SQLite
 * the adapters run synchronously inside each call, so a call's time is its synchronous part and
 * the calls add up to the whole. On Postgres the overview's calls overlap on the pool, so here they
 * are made one at a time (each waits for the one before): a call's time is then its own cost, and
 * the serialized whole says how much the overlap saves.
 */
async function profileOverview(store: Store, fromMs: number, toMs: number, runs: number): Promise<{ note: string; lines: string[] }> {
  const perRun: Map<string, { ms: number; calls: number }>[] = [];
  let current = new Map<string, { ms: number; calls: number }>();
  const sync = store.dialect === "sqlite";
  const record = (label: string, t: number) => {
    const e = current.get(label) ?? { ms: 0, calls: 0 };
    e.ms += t;
    e.calls++;
    current.set(label, e);
  };
  let chain: Promise<unknown> = Promise.resolve();
  const wrap = <T extends object>(area: string, repo: T): T =>
    new Proxy(repo, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== "function") return v;
        return (...args: unknown[]) => {
          const label = `${area}.${String(prop)}${resolutionOf(String(prop), args)}`;
          if (sync) {
            const t0 = performance.now();
            const p = v.apply(target, args) as Promise<unknown>;
            record(label, performance.now() - t0);
            return p;
          }
          const run = async () => {
            const t0 = performance.now();
            try {
              return await (v.apply(target, args) as Promise<unknown>);
            } finally {
              record(label, performance.now() - t0);
            }
          };
          const p = chain.then(run, run);
          chain = p.catch(() => undefined);
          return p;
        };
      },
    });
  const timed: Store = { ...store, catalog: wrap("catalog", store.catalog), series: wrap("series", store.series), samples: wrap("samples", store.samples), ingest: wrap("ingest", store.ingest) };
  const totals: number[] = [];
  for (let i = 0; i < runs; i++) {
    current = new Map();
    const t0 = performance.now();
    await overview(timed, fromMs, toMs);
    totals.push(performance.now() - t0);
    perRun.push(current);
  }
  const labels = [...new Set(perRun.flatMap((m) => [...m.keys()]))];
  const rows = labels.map((label) => ({
    label,
    ms: median(perRun.map((m) => m.get(label)?.ms ?? 0)),
    calls: median(perRun.map((m) => m.get(label)?.calls ?? 0)),
  }));
  rows.sort((a, b) => b.ms - a.ms);
  const lines = rows.map((r) => `${r.label.padEnd(28)} ${r.ms.toFixed(1).padStart(7)} ms  (${r.calls} call${r.calls === 1 ? "" : "s"})`);
  lines.push(`${(sync ? "whole overview" : "whole overview, serialized").padEnd(28)} ${median(totals).toFixed(1).padStart(7)} ms`);
  return {
    note: sync ? "SQLite runs each call synchronously, so the calls add up to the whole" : "Postgres calls made one at a time, each its own cost",
    lines,
  };
}

/** The resolution a series call reads. */
function resolutionOf(method: string, args: unknown[]): string {
  if (method === "buckets") return ` ${(args[0] as { resolution: string }).resolution}`;
  if (method === "above") return ` ${args[1] as string}`;
  if (method === "totals") return ` ${args[1] as string}`;
  return "";
}
