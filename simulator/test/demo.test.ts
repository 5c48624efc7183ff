import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { request, sleep, ymdHms } from "./helpers";

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

describe("--demo traffic generator", () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    // the default limiter (windowed, in memory) with a short window so the first roll comes quickly
    sim = await startSimulator(["--demo", "--window", "3", "--flush-interval", "1"]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("produces a leaky key over its limit, a healthy key under it and a throttled key with 429s, visible in spend logs", { timeout: 60_000 }, async () => {
    const started = Date.now();
    await sleep(14_000);
    const keys = (await request(sim, "GET", "/sim/state", { key: null })).json.demo_keys as { alias: string; hash: string }[];
    const byAlias = Object.fromEntries(keys.map((k) => [k.alias, k.hash]));
    const rows: Row[] = [];
    for (let page = 1; ; page++) {
      const q = new URLSearchParams({ start_date: ymdHms(started - 5000), end_date: ymdHms(Date.now() + 5000), page: String(page), page_size: "1000" });
      const r = await request(sim, "GET", `/spend/logs/ui?${q}`);
      rows.push(...r.json.data);
      if (r.json.data.length < 1000) break;
    }
    const of = (alias: string) => rows.filter((r) => r.api_key === byAlias[alias]);
    expect(peakFromRows(of("demo-leaky")), sim.output()).toBeGreaterThan(5);
    expect(of("demo-leaky").some((r) => r.status === "failure")).toBe(true);
    expect(peakFromRows(of("demo-healthy"))).toBeLessThanOrEqual(8);
    expect(of("demo-healthy").filter((r) => r.status === "failure")).toHaveLength(0);
    expect(of("demo-healthy").length).toBeGreaterThan(3);
    expect(of("demo-unlimited").length).toBeGreaterThan(3);
    expect(of("demo-throttled").filter((r) => r.status === "failure").length).toBeGreaterThan(3);
    // the ground truth agrees that the leaky key went over its limit
    const up = (await request(sim, "GET", "/sim/upstream", { key: null })).json.keys;
    expect(up[byAlias["demo-leaky"]].peak).toBeGreaterThan(5);
    expect(up[byAlias["demo-healthy"]].peak).toBeLessThanOrEqual(8);
    // demo traffic costs nothing
    expect(rows.every((r) => (r as unknown as { spend: number }).spend === 0)).toBe(true);
  });
});
