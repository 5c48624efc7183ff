import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { waitFor } from "../../tests/support/wait";
import { request, upstream, ymdHms } from "./helpers";

interface Row {
  api_key: string;
  startTime: string;
  endTime: string;
  status: string;
}

/** Peak concurrency of successful requests, rebuilt from spend-log start/end times (what Inflight calls truth). */
function peakFromRows(rows: Row[]): number {
  const ev: [number, number][] = [];
  for (const r of rows) {
    if (r.status !== "success") continue;
    ev.push([Date.parse(r.startTime), 1], [Date.parse(r.endTime), -1]);
  }
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let peak = 0;
  for (const [, d] of ev) peak = Math.max(peak, (cur += d));
  return peak;
}

/** Every spend-log row whose startTime is at or after `fromMs`, all pages. */
async function rowsSince(sim: TestSimulator, fromMs: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (let page = 1; ; page++) {
    const q = new URLSearchParams({ start_date: ymdHms(fromMs), end_date: ymdHms(Date.now() + 5000), page: String(page), page_size: "1000" });
    const r = await request(sim, "GET", `/spend/logs/ui?${q}`);
    rows.push(...r.json.data);
    if (r.json.data.length < 1000) return rows;
  }
}

/** The demo's client counts (simulator/src/demo.ts): a key's concurrency can never exceed them. */
const HEALTHY_CLIENTS = 3;

describe("--demo traffic generator", () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    // the default limiter (windowed, in memory) with a short window so the first roll comes quickly;
    // --seed: the demo clients' durations and pauses are the same every run
    sim = await startSimulator(["--demo", "--window", "3", "--flush-interval", "1", "--seed", "16011"]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("produces a leaky key over its limit, a healthy key under it and a throttled key with 429s, visible in spend logs", { timeout: 90_000 }, async () => {
    const started = Date.now();
    const keys = (await request(sim, "GET", "/sim/state", { key: null })).json.demo_keys as { alias: string; hash: string }[];
    const byAlias = Object.fromEntries(keys.map((k) => [k.alias, k.hash]));
    // Until each key has shown what it is for (the leaky key's overshoot needs a window roll and then its requests' ends).
    const rows = await waitFor(
      async () => {
        const all = await rowsSince(sim, started - 60_000); // every row: this simulator started moments ago
        const of = (alias: string) => all.filter((r) => r.api_key === byAlias[alias]);
        const shown =
          peakFromRows(of("demo-leaky")) > 5 &&
          of("demo-leaky").some((r) => r.status === "failure") &&
          of("demo-healthy").length > 3 &&
          of("demo-unlimited").length > 3 &&
          of("demo-throttled").filter((r) => r.status === "failure").length > 3;
        return shown && all;
      },
      { what: "the demo keys' traffic in spend logs", timeoutMs: 60_000, intervalMs: 1_000 },
    );
    const of = (alias: string) => rows.filter((r) => r.api_key === byAlias[alias]);
    // The healthy key stays under its limit of 8 because its 3 clients never exceed 3 in flight: no 429s.
    expect(of("demo-healthy").filter((r) => r.status === "failure")).toHaveLength(0);
    expect(peakFromRows(of("demo-healthy"))).toBeGreaterThan(0);
    expect(peakFromRows(of("demo-healthy"))).toBeLessThanOrEqual(HEALTHY_CLIENTS);
    // the ground truth agrees that the leaky key went over its limit
    const up = (await request(sim, "GET", "/sim/upstream", { key: null })).json.keys;
    expect(up[byAlias["demo-leaky"]].peak, sim.output()).toBeGreaterThan(5);
    expect(up[byAlias["demo-healthy"]].peak).toBeLessThanOrEqual(HEALTHY_CLIENTS);
    // demo traffic costs nothing
    expect(rows.every((r) => (r as unknown as { spend: number }).spend === 0)).toBe(true);
  });
});

describe("--demo with --limiter gauge --leak-metadata-routes: the demo-stuck key (#27955)", () => {
  const SLOT_TTL_S = 20;
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startSimulator(["--demo", "--limiter", "gauge", "--leak-metadata-routes", "--slot-ttl", String(SLOT_TTL_S), "--flush-interval", "1", "--seed", "27955"]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("gets stuck with nothing in flight after its /v1/messages requests, and is admitted again once the slots expire", { timeout: 120_000 }, async () => {
    const keys = (await request(sim, "GET", "/sim/state", { key: null })).json.demo_keys as { alias: string; key: string; hash: string }[];
    expect(keys.map((k) => k.alias)).toEqual(["demo-leaky", "demo-healthy", "demo-unlimited", "demo-throttled", "demo-stuck"]);
    const stuck = keys.find((k) => k.alias === "demo-stuck")!;
    const gauge = `{api_key:${stuck.hash}}:max_parallel_requests`;
    // Stuck: all three slots held (one worker, no Redis: its in-memory registry) while nothing of the key is in flight.
    await waitFor(
      async () => {
        const slots = (await request(sim, "GET", "/sim/state", { key: null })).json.memory_gauges[0][gauge];
        return slots === 3 && (await upstream(sim, stuck.hash)).current === 0;
      },
      { what: "demo-stuck holding 3 slots with nothing in flight", timeoutMs: 60_000, intervalMs: 100, detail: () => sim.output() },
    );
    // From here only an expired slot can let a request of this key through again.
    expect((await request(sim, "POST", "/sim/upstream/reset", { key: null })).status).toBe(200);
    await waitFor(async () => (await upstream(sim, stuck.hash)).peak > 0, {
      what: "demo-stuck admitted again after its slots expired",
      timeoutMs: (SLOT_TTL_S + 15) * 1000,
      intervalMs: 100,
    });
    // Its clients spoke both APIs, and the stuck period shows as 429 rows.
    expect((await request(sim, "POST", "/sim/spend-logs/flush", { key: null })).status).toBe(200);
    const rows = (await request(sim, "GET", `/spend/logs?api_key=${stuck.key}`)).json as { call_type: string; status: string; metadata: { error_information?: { error_code: string } } }[];
    expect(new Set(rows.map((r) => r.call_type))).toEqual(new Set(["acompletion", "anthropic_messages"]));
    expect(rows.some((r) => r.metadata.error_information?.error_code === "429")).toBe(true);
  });
});
