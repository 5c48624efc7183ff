import { sweepSeconds, type SecondSeries, type SweepInput } from "@/lib/concurrency/sweep";
import { mulberry32 } from "@/lib/traffic/prng";
import type { BenchResult, BenchSuite } from "./types";

const DAY_SEC = 86_400;
const REQUESTS = 1_000_000;
const FROM_SEC = Date.UTC(2026, 10, 24) / 1000;

/**
 * `sweep_1m_ms`: the per-second sweep over 1 M requests of one key in 24 h, median of several runs.
 * Baseline: a per-second recount (one pass over every request for each second). It takes minutes
 * for the whole day, so it runs on a spread sample of seconds, must match the sweep there exactly,
 * and its time is extrapolated to all 86,400 seconds.
 */
export const concurrencyBench: BenchSuite = async ({ quick }) => {
  const input = workload(REQUESTS, FROM_SEC, DAY_SEC, 0x5eed);
  const runs = quick ? 3 : 7;
  const times: number[] = [];
  let series: SecondSeries | undefined;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    series = sweepSeconds(input);
    times.push(performance.now() - t0);
  }
  const value = median(times);

  const sample = spreadSeconds(quick ? 60 : 300, DAY_SEC, 0xb0b);
  const t0 = performance.now();
  for (const sec of sample) checkSecond(input, series!, sec);
  const baseline = ((performance.now() - t0) / sample.length) * DAY_SEC;
  // The day's peak too, outside the timing: the busiest second is where a sweep bug would show.
  const peak = Math.max(...series!.maxInFlight);
  checkSecond(input, series!, series!.maxInFlight.indexOf(peak));
  console.log(
    `   sweep runs ${times.map((t) => t.toFixed(0)).join(", ")} ms; peak ${peak} in flight;` +
      ` recount baseline extrapolated from ${sample.length} sampled seconds; those and the peak second equal the sweep`,
  );
  const result: BenchResult = { name: "sweep_1m_ms", value, unit: "ms", baseline, ratio: baseline / value };
  return [result];
};

/**
 * One key's day: a diurnal background plus bursts (a few hundred requests within seconds),
 * durations log-uniform in 0.2–60 s, and 429s clustered in the bursts.
 */
function workload(n: number, fromSec: number, daySec: number, seed: number): SweepInput {
  const rand = mulberry32(seed);
  const fromMs = fromSec * 1000;
  const dayMs = daySec * 1000;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  const rejectedAt: number[] = [];
  let i = 0;
  while (i < n) {
    if (rand() < 0.002) {
      // A burst: 50–500 requests spread over 0.5–5 s, a fifth of them turned away.
      const at = rand() * dayMs;
      const spread = 500 + rand() * 4500;
      const size = Math.min(n - i, 50 + Math.floor(rand() * 450));
      for (let k = 0; k < size; k++, i++) {
        starts[i] = Math.floor(fromMs + Math.min(dayMs - 1, at + rand() * spread));
        ends[i] = starts[i] + duration(rand);
        if (rand() < 0.2) rejectedAt.push(starts[i] + Math.floor(rand() * 50));
      }
    } else {
      // Background with a day/night swing: accept a uniform time with probability ∝ load.
      const t = rand() * dayMs;
      if (rand() > 0.55 + 0.45 * Math.sin((2 * Math.PI * t) / dayMs)) continue;
      starts[i] = Math.floor(fromMs + t);
      ends[i] = starts[i] + duration(rand);
      i++;
    }
  }
  return { starts, ends, rejectedAt, fromSec, toSec: fromSec + daySec };
}

function duration(rand: () => number): number {
  return Math.round(200 * Math.pow(300, rand())); // 0.2 s · 300^u: log-uniform in [0.2, 60] s
}

function checkSecond(input: SweepInput, series: SecondSeries, sec: number): void {
  const got = recountSecond(input, FROM_SEC + sec);
  const want = [series.maxInFlight[sec], series.admitted[sec], series.rejected[sec]];
  if (got.join() !== want.join()) {
    throw new Error(`second ${FROM_SEC + sec}: recount gives ${got.join("/")}, sweep ${want.join("/")}`);
  }
}

/**
 * The per-second recount for one second: one pass over every request collects those in flight at
 * the second's start and the starts and ends inside it, then those few events are ordered (ends
 * before starts at equal times) and walked. Independent of the sweep's code on purpose.
 */
function recountSecond(input: SweepInput, sec: number): [number, number, number] {
  const { starts, ends } = input;
  const lo = sec * 1000;
  const hi = lo + 1000;
  let atStart = 0;
  let admitted = 0;
  const events: [time: number, delta: number][] = [];
  for (let k = 0; k < starts.length; k++) {
    const start = starts[k];
    const end = Math.max(ends[k], start + 1);
    if (start >= hi || end <= lo) continue;
    if (start <= lo) atStart++;
    else events.push([start, 1]);
    if (start >= lo) admitted++;
    if (end < hi) events.push([end, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = atStart;
  let max = atStart;
  for (const [, delta] of events) {
    cur += delta;
    if (cur > max) max = cur;
  }
  const rejectedAt = input.rejectedAt ?? [];
  let rejected = 0;
  for (let k = 0; k < rejectedAt.length; k++) if (rejectedAt[k] >= lo && rejectedAt[k] < hi) rejected++;
  return [max, admitted, rejected];
}

/** `count` second offsets spread evenly over the range, each jittered within its stride. */
function spreadSeconds(count: number, rangeSec: number, seed: number): number[] {
  const rand = mulberry32(seed);
  const stride = rangeSec / count;
  return Array.from({ length: count }, (_, k) => Math.floor(k * stride + rand() * stride));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
