// The observe domain over each store: series maintenance, reads, evidence, limit steps and the one
// key state the overview and the key page share. Runs once per dialect on a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { limitSteps } from "../../lib/catalog/limit-steps";
import type { VirtualKey } from "../../lib/litellm/schemas";
import { summarisePipeline } from "../../lib/health/pipeline";
import { exposition } from "../../lib/metrics/exposition";
import { metricsSnapshot } from "../../lib/metrics/snapshot";
import { countViolationSeconds, recountViolationSeconds } from "../../lib/metrics/violation-counter";
import { overview } from "../../lib/overview/overview";
import { readEvidence } from "../../lib/series/evidence";
import { readKeySeries } from "../../lib/series/key-series";
import { SeriesMaintainer } from "../../lib/series/maintain";
import { readSeriesWindow } from "../../lib/series/read";
import type { Store } from "../../lib/store/store";
import { counts, row, T0 } from "../support/rows";
import { createTestStore, DIALECTS, type TestStore } from "../support/store";

const LOOKBACK = 600_000;


function listed(hash: string, mpr: number | null): VirtualKey {
  return { token: hash, key_alias: `k-${hash[0]}`, team_id: null, max_parallel_requests: mpr, rpm_limit: null, tpm_limit: null, blocked: false } as VirtualKey;
}

/** Records a key as a catalog sync would, with its limit seen at `atMs`. */
async function setLimit(s: Store, hash: string, mpr: number | null, atMs: number) {
  await s.catalog.apply({ upserts: [listed(hash, mpr)], limitChanges: [{ hash, limits: { maxParallelRequests: mpr, rpmLimit: null, tpmLimit: null } }], removed: [] }, atMs);
}

describe.each(DIALECTS)("observe domain on %s", (dialect) => {
  let t: TestStore;
  let s: Store;
  let maintainer: SeriesMaintainer;
  const HASH = "d".repeat(64);
  const drain = () => maintainer.drain();
  const keyId = async (hash = HASH) => (await s.catalog.keyByHash(hash))!.id;
  const second = async (off: number) => {
    const [b] = await s.series.totals([await keyId()], "1s", [[(T0 + off) / 1000, (T0 + off) / 1000 + 1]]);
    return b ? { m: b.maxInFlight, a: b.admitted, r: b.rejected } : undefined;
  };

  beforeAll(async () => {
    t = await createTestStore(dialect);
    s = t.store;
    maintainer = new SeriesMaintainer(s.series, LOOKBACK);
    await setLimit(s, HASH, 3, T0 - 3_600_000);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe("series maintenance and reads", () => {
    it("stores each request once and the exact per-second peak", async () => {
      const rows = [row(HASH, "a", 0, 5_000), row(HASH, "b", 1_000, 1_000), row(HASH, "c", 1_500, 200), row(HASH, "x", 1_600, 0, true)];
      expect((await s.ingest.commit("t", rows, null)).inserted).toBe(4);
      expect((await s.ingest.commit("t", rows, null)).inserted).toBe(0);
      await drain();
      expect(await second(0)).toEqual({ m: 1, a: 1, r: 0 });
      expect(await second(1_000)).toEqual({ m: 3, a: 2, r: 1 });
      expect(await second(2_000)).toEqual({ m: 1, a: 0, r: 0 }); // b ended exactly at 2 s: back-to-back, not overlapping
      expect(await second(5_000)).toBeUndefined(); // nothing in flight: not stored
      expect(await s.series.dirtyMarks(10)).toEqual([]);
    });

    it("a late row (a long request reported minutes later) updates the seconds it covers", async () => {
      await s.ingest.commit("t", [row(HASH, "late", -120_000, 125_000)], null);
      await drain();
      expect(await second(1_000)).toEqual({ m: 4, a: 2, r: 1 });
      expect(await second(-60_000)).toEqual({ m: 1, a: 0, r: 0 });
    });

    it("downsampled reads keep every bucket's peak and the minute roll-up agrees", async () => {
      const fromSec = (T0 - 600_000) / 1000;
      const toSec = (T0 + 600_000) / 1000;
      const fine = await readSeriesWindow(s.series, await keyId(), fromSec, toSec, 2000);
      expect(fine.resolution).toBe("1s");
      expect(Math.max(...fine.buckets.map((b) => b.maxInFlight))).toBe(4);
      const coarse = await readSeriesWindow(s.series, await keyId(), fromSec, toSec, 15);
      expect(coarse.bucketSec).toBe(120);
      expect(coarse.resolution).toBe("1m");
      expect(Math.max(...coarse.buckets.map((b) => b.maxInFlight))).toBe(4);
      const sum = (w: typeof fine) => w.buckets.reduce((n, b) => n + b.admitted, 0);
      expect(sum(coarse)).toBe(sum(fine));
    });

    it("evidence names the requests in flight at the peak instant", async () => {
      const ev = await readEvidence(s.ingest, await keyId(), T0 + 1_000, T0 + 2_000, LOOKBACK);
      expect(ev.peak).toBe(4);
      expect(ev.peakAtMs).toBe(T0 + 1_500);
      expect(ev.requests.map((r) => r.requestId).sort()).toEqual(["a", "b", "c", "late"]);
      expect(await readEvidence(s.ingest, await keyId(), T0 + 60_000, T0 + 61_000, LOOKBACK)).toMatchObject({ peak: 0, peakAtMs: null, requests: [] });
    });

    it("limit steps: the limit in force at each point, the first known one standing in before", async () => {
      await setLimit(s, HASH, 6, T0 + 60_000);
      const changes = await s.catalog.limitChanges([await keyId()], T0 + 3_600_000);
      expect(limitSteps(changes, T0 - 7_200_000, T0 + 3_600_000).map((x) => [x.fromMs - T0, x.maxParallelRequests])).toEqual([
        [-7_200_000, 3],
        [60_000, 6],
      ]);
      expect(limitSteps(changes, T0 + 120_000, T0 + 180_000).map((x) => [x.fromMs - T0, x.maxParallelRequests])).toEqual([[120_000, 6]]);
    });
  });

  describe("one key state for the overview and the key page", () => {
    const RAISED = "e".repeat(64);
    const NOW = "f".repeat(64);
    const range = { from: T0 - 1_800_000, to: T0 + 900_000 };

    beforeAll(async () => {
      // RAISED: 5 at once against a limit of 3 at T0+10 s; the limit raised to 10 two minutes later.
      await setLimit(s, RAISED, 3, T0 - 3_600_000);
      await s.ingest.commit("t", Array.from({ length: 5 }, (_, i) => row(RAISED, `r${i}`, 10_000 + i * 100, 3_000)), null);
      await setLimit(s, RAISED, 10, T0 + 120_000);
      // NOW: 4 at once against a limit of 2, within the last minutes of stored truth.
      await setLimit(s, NOW, 2, T0 - 3_600_000);
      await s.ingest.commit("t", Array.from({ length: 4 }, (_, i) => row(NOW, `n${i}`, 590_000 + i * 100, 2_000)), null);
      // Stored truth is complete to T0 + 10 min: "recent" is T0 + 5 min onwards.
      await s.ingest.commit("spend-logs", [], { completeBeforeMs: T0 + 300_000, endWatermarkMs: T0 + 600_000 });
      await drain();
    });

    it("judges each second against the limit in force then: a limit raised after a violation does not hide it", async () => {
      const view = await overview(s, range.from, range.to);
      const raised = view.rows.find((r) => r.hash === RAISED)!;
      expect(raised.maxParallelRequests).toBe(10);
      expect(raised.state).toMatchObject({ status: "exceeded", limitNow: 10, peak: 5, violations: 1, secondsOver: 4 });
      expect(raised.state.peakRatio).toBeCloseTo(5 / 3);
      const page = await readKeySeries(s, (await s.catalog.keyByHash(RAISED))!, { ...range, maxPoints: 1500 });
      expect(page.state).toEqual(raised.state);
    });

    it("over a day, violations are found through the hour and minute roll-ups, and counted by the minute", async () => {
      const day = { from: T0 - 86_400_000 + 900_000, to: T0 + 900_000 };
      const view = await overview(s, day.from, day.to);
      const raised = view.rows.find((r) => r.hash === RAISED)!;
      expect(raised.state).toMatchObject({ status: "exceeded", peak: 5, violations: 1, secondsOver: 60, admitted: 5 });
      expect(raised.sparkline).toHaveLength(25); // hourly buckets for a day (one more: the range is not on the hour)
      const page = await readKeySeries(s, (await s.catalog.keyByHash(RAISED))!, { ...day, maxPoints: 1500 });
      expect(page.state).toEqual(raised.state);
    });

    it("a violation in the last minutes of stored truth is 'exceeding', the same on both pages", async () => {
      const view = await overview(s, range.from, range.to);
      const now = view.rows.find((r) => r.hash === NOW)!;
      expect(now.state).toMatchObject({ status: "exceeding", limitNow: 2, peak: 4 });
      const page = await readKeySeries(s, (await s.catalog.keyByHash(NOW))!, { ...range, maxPoints: 300 });
      expect(page.state).toEqual(now.state);
      // Worst first: exceeding now before exceeded earlier.
      expect(view.rows.map((r) => r.hash).indexOf(NOW)).toBeLessThan(view.rows.map((r) => r.hash).indexOf(RAISED));
      expect(view.watermarkMs).toBe(T0 + 600_000);
    });
  });

  describe("/metrics", () => {
    const RAISED = "e".repeat(64);

    it("counts settled seconds above the limit in force once, and exports Prometheus counters and gauges", async () => {
      // Count from a minute before T0: RAISED's 4 seconds over its limit of 3 are settled (before
      // complete-before, T0 + 5 min); NOW's, at T0 + 590 s, are not yet.
      await s.metrics.countViolationSeconds([], T0 / 1000 - 60);
      const first = await countViolationSeconds(s);
      // 4 of RAISED, and the second at T0 + 1 s when key d had 4 requests in flight against its 3.
      expect(first).toMatchObject({ fromSec: T0 / 1000 - 60, throughSec: T0 / 1000 + 300, seconds: 5, behind: false });
      expect(await countViolationSeconds(s)).toMatchObject({ seconds: 0 });
      const raised = (await s.catalog.keyByHash(RAISED))!;
      expect((await s.metrics.counters([raised.id])).get(raised.id)).toEqual({ ...counts(5), violationSeconds: 4 });

      const { text } = await exposition(await metricsSnapshot(s, T0 + 630_000), summarisePipeline([]));
      const labels = `hashed_api_key="${RAISED}",api_key_alias="k-e",team=""`;
      expect(text).toContain("# TYPE inflight_key_violation_seconds_total counter");
      expect(text).toContain(`inflight_key_violation_seconds_total{${labels}} 4`);
      expect(text).toContain(`inflight_key_admitted_requests_total{${labels}} 5`);
      expect(text).toContain(`inflight_key_rejected_requests_total{${labels}} 0`);
      expect(text).toContain(`inflight_key_max_parallel_requests{${labels}} 10`);
      expect(text).toContain("# TYPE inflight_key_in_flight gauge");
      // The lag is now minus the watermark (T0 + 10 min): 30 s.
      expect(text).toContain("inflight_ingest_lag_seconds 30");
      expect(text).not.toMatch(/_5m\b/);
    });

    it("a late row that pushes an already counted second over the limit adds it once", async () => {
      const F = "f".repeat(64);
      await setLimit(s, F, 2, T0 - 3_600_000);
      const f = (await s.catalog.keyByHash(F))!;
      // Two at once against a limit of 2, within the seconds counted above: nothing over.
      await s.ingest.commit("t", [row(F, "f1", 10_000, 5_000), row(F, "f2", 11_000, 3_000)], null);
      expect(await recountViolationSeconds(s, (await drain()).changes)).toBe(0);
      // A third, reported late, overlaps both for one second.
      await s.ingest.commit("t", [row(F, "f3", 12_000, 1_000)], null);
      const changes = (await drain()).changes;
      expect(await recountViolationSeconds(s, changes)).toBe(1);
      expect(await recountViolationSeconds(s, changes)).toBe(0);
      expect(await countViolationSeconds(s)).toMatchObject({ seconds: 0 });
      expect((await s.metrics.counters([f.id])).get(f.id)?.violationSeconds).toBe(1);
    });
  });
});
