// Retention on each store: which rows each table keeps at its cut-off, in its own unit (epoch ms for
// request and limiter_sample, epoch s for the series), and what a series recompute does once the
// requests under it are gone. Runs once per dialect on a real database.
//
// SQLite deletes rows; Postgres drops whole partitions (lib/store/postgres/retention.ts). Where the
// cut-offs fall on partition boundaries (a UTC day for request and series, a UTC hour for samples)
// both must keep exactly the same rows; between boundaries Postgres keeps a partition until all of
// it is older, and the test says so per dialect.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RetentionPolicy } from "../../lib/retention/repository";
import { SeriesMaintainer } from "../../lib/series/maintain";
import type { Resolution } from "../../lib/series/repository";
import type { Store } from "../../lib/store/store";
import { counts, row, T0 } from "../support/rows";
import { createTestStore, DIALECTS, type TestStore } from "../support/store";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const HASH = "a".repeat(64);

/** A request of the test key starting at an absolute instant (rows.ts takes offsets from T0). */
const requestAt = (id: string, startMs: number, durMs = 1_000) => row(HASH, id, startMs - T0, durMs);

const sample = (keyId: number, atMs: number, believed: number) => ({
  keyId,
  atMs,
  era: "gauge" as const,
  believedInFlight: believed,
  rawCounter: believed,
  windowStartS: null,
  requests: null,
  tokens: null,
});

const series = (sec: number, maxInFlight: number, admitted: number) => ({ sec, maxInFlight, ...counts(admitted) });

/** Every stored row of one resolution in [fromSec, toSec), one bucket per row. */
async function rows(s: Store, keyId: number, resolution: Resolution, fromSec: number, toSec: number) {
  const bucketSec = { "1s": 1, "1m": 60, "1h": 3600 }[resolution];
  const got = await s.series.buckets({ keyIds: [keyId], resolution, fromSec, toSec, bucketSec });
  return got.map((b) => [b.t, b.maxInFlight, b.admitted]);
}

describe.each(DIALECTS)("retention on %s", (dialect) => {
  describe("cut-offs on partition boundaries: both stores keep the same rows", () => {
    // A UTC midnight: every cut-off below is a partition boundary on Postgres.
    const NOW = Date.UTC(2026, 11, 10);
    // A different span per table, so a cut-off taken from the wrong setting moves a row across it.
    const POLICY: RetentionPolicy = { requestsMs: 3 * DAY, secondsMs: 2 * DAY, minutesMs: 5 * DAY, samplesMs: 2 * HOUR };
    const REQ_CUT = NOW - POLICY.requestsMs; // ms
    const SEC_CUT = (NOW - POLICY.secondsMs) / 1000; // s
    const MIN_CUT = (NOW - POLICY.minutesMs) / 1000; // s, also the hours' cut-off
    const SAMPLE_CUT = NOW - POLICY.samplesMs; // ms

    let t: TestStore;
    let s: Store;
    let keyId: number;

    beforeAll(async () => {
      t = await createTestStore(dialect);
      s = t.store;
      // Per table, one row 1 unit before its cut-off (outside) and one at it (inside).
      await s.ingest.commit("t", [requestAt("req-out", REQ_CUT - 1), requestAt("req-in", REQ_CUT)], null);
      keyId = (await s.catalog.keyByHash(HASH))!.id;
      // Seconds around their cut-off (with the minutes they make, kept: 5-day policy).
      await s.series.replace(keyId, SEC_CUT - 60, SEC_CUT + 60, [series(SEC_CUT - 1, 7, 1), series(SEC_CUT, 3, 1)], [series(SEC_CUT - 60, 7, 1), series(SEC_CUT, 3, 1)]);
      // Minutes around theirs; each makes its hour, so the hours straddle the same cut-off.
      await s.series.replace(keyId, MIN_CUT - 60, MIN_CUT + 60, [], [series(MIN_CUT - 60, 5, 2), series(MIN_CUT, 4, 3)]);
      await s.samples.insert([sample(keyId, SAMPLE_CUT - 1, 9), sample(keyId, SAMPLE_CUT, 8)]);
    });
    afterAll(async () => {
      await t?.close();
    });

    /** What every table holds around its cut-off. */
    async function around() {
      return {
        requests: (await s.ingest.admittedOverlapping(keyId, REQ_CUT - 1, REQ_CUT + 1, 0)).map((r) => [r.requestId, r.startMs]),
        seconds: await rows(s, keyId, "1s", SEC_CUT - 1, SEC_CUT + 1),
        minutes: await rows(s, keyId, "1m", MIN_CUT - 60, MIN_CUT + 60),
        hours: await rows(s, keyId, "1h", MIN_CUT - 3600, MIN_CUT + 3600),
        samples: (await s.samples.buckets(keyId, SAMPLE_CUT / 1000 - 1, SAMPLE_CUT / 1000 + 1, 1)).map((b) => [b.t, b.believed]),
        // The seconds' minutes are younger than the minute policy: untouched throughout.
        secondsMinutes: await rows(s, keyId, "1m", SEC_CUT - 60, SEC_CUT + 60),
      };
    }
    const everything = {
      requests: [
        ["req-out", REQ_CUT - 1],
        ["req-in", REQ_CUT],
      ],
      seconds: [
        [SEC_CUT - 1, 7, 1],
        [SEC_CUT, 3, 1],
      ],
      minutes: [
        [MIN_CUT - 60, 5, 2],
        [MIN_CUT, 4, 3],
      ],
      hours: [
        [MIN_CUT - 3600, 5, 2],
        [MIN_CUT, 4, 3],
      ],
      samples: [
        [SAMPLE_CUT / 1000 - 1, 9],
        [SAMPLE_CUT / 1000, 8],
      ],
      secondsMinutes: [
        [SEC_CUT - 60, 7, 1],
        [SEC_CUT, 3, 1],
      ],
    };

    it("1 ms before the cut-offs reach the old rows, it keeps every row (a minute or hour whose last ms is inside the policy stays)", async () => {
      expect(await around()).toEqual(everything);
      const report = await s.retention.apply(POLICY, NOW - 1);
      expect(report).toEqual(
        dialect === "sqlite"
          ? { request: 0, series_1s: 0, series_1m: 0, series_1h: 0, limiter_sample: 0 }
          : {
              request_partitions_dropped: 0,
              series_1s_partitions_dropped: 0,
              series_1m_partitions_dropped: 0,
              series_1h_partitions_dropped: 0,
              limiter_sample_partitions_dropped: 0,
              // Now's span and the next of each table: days NOW-1d and NOW, hours NOW-1h and NOW.
              partitions_created: 10,
            },
      );
      expect(await around()).toEqual(everything);
    });

    it("at the cut-offs, it removes exactly the rows before each, in each table's unit, and leaves the counters", async () => {
      const counters = await s.metrics.counters([keyId]);
      expect(counters.get(keyId)).toEqual({ ...counts(2), violationSeconds: 0 });

      const report = await s.retention.apply(POLICY, NOW);
      expect(report).toEqual(
        dialect === "sqlite"
          ? { request: 1, series_1s: 1, series_1m: 1, series_1h: 1, limiter_sample: 1 }
          : {
              // Each "out" row sits alone in the partition that ends at its cut-off.
              request_partitions_dropped: 1,
              series_1s_partitions_dropped: 1,
              series_1m_partitions_dropped: 1,
              series_1h_partitions_dropped: 1,
              limiter_sample_partitions_dropped: 1,
              partitions_created: 5, // the next span of each table
            },
      );
      expect(await around()).toEqual({
        requests: [["req-in", REQ_CUT]],
        seconds: [[SEC_CUT, 3, 1]],
        minutes: [[MIN_CUT, 4, 3]],
        hours: [[MIN_CUT, 4, 3]],
        samples: [[SAMPLE_CUT / 1000, 8]],
        secondsMinutes: everything.secondsMinutes,
      });
      // The /metrics counters outlive retention (lib/metrics/README.md).
      expect(await s.metrics.counters([keyId])).toEqual(counters);
    });
  });

  describe("cut-offs inside a partition: kept at least the policy, at most one partition span more", () => {
    const DAY0 = Date.UTC(2026, 11, 20);
    const POLICY: RetentionPolicy = { requestsMs: 3 * DAY, secondsMs: 3 * DAY, minutesMs: 3 * DAY, samplesMs: 2 * HOUR };
    // The request day and the sample hour whose partitions the cut-offs cross: at NOW1 the cut-offs
    // are 23:30 into day Q and 30 min into hour P; at NOW1 + 30 min they reach the partitions' ends.
    const Q = DAY0 - 3 * DAY;
    const P = DAY0 + 21 * HOUR;
    const NOW1 = DAY0 + 23 * HOUR + 30 * 60_000; // cut-offs Q + 23:30 and P + 0:30
    const NOW2 = DAY0 + DAY - 1; // cut-offs 1 ms before the ends of day Q and hour P
    const NOW3 = DAY0 + DAY; // cut-offs at those ends
    let t: TestStore;
    let s: Store;
    let keyId: number;

    beforeAll(async () => {
      t = await createTestStore(dialect);
      s = t.store;
      const half = 30 * 60_000;
      await s.ingest.commit(
        "t",
        [
          requestAt("prev-day", Q - 1),
          requestAt("day-start", Q),
          requestAt("before-cut", Q + 23 * HOUR + half - 1),
          requestAt("at-cut", Q + 23 * HOUR + half),
          requestAt("next-day", Q + DAY),
        ],
        null,
      );
      keyId = (await s.catalog.keyByHash(HASH))!.id;
      // believed = 1 (the hour before P) ... 5 (the hour after P).
      await s.samples.insert([sample(keyId, P - 1, 1), sample(keyId, P, 2), sample(keyId, P + half - 1, 3), sample(keyId, P + half, 4), sample(keyId, P + HOUR, 5)]);
    });
    afterAll(async () => {
      await t?.close();
    });

    const kept = async () => ({
      requests: (await s.ingest.admittedOverlapping(keyId, Q - 1, Q + DAY + 1, 0)).map((r) => r.requestId),
      samples: (await s.samples.buckets(keyId, (P - HOUR) / 1000, (P + 2 * HOUR) / 1000, 1)).map((b) => b.believed),
    });
    // Postgres keeps the crossed partitions whole: day Q's requests and hour P's samples.
    const wholePartitions = { requests: ["day-start", "before-cut", "at-cut", "next-day"], samples: [2, 3, 4, 5] };

    it("with the cut-offs inside day Q and hour P: SQLite removes every older row, Postgres only the partitions all older", async () => {
      await s.retention.apply(POLICY, NOW1);
      expect(await kept()).toEqual(dialect === "sqlite" ? { requests: ["at-cut", "next-day"], samples: [4, 5] } : wholePartitions);
    });

    it("1 ms before the cut-offs reach the partitions' ends, Postgres still keeps them (day-start: a day less 1 ms past the policy)", async () => {
      await s.retention.apply(POLICY, NOW2);
      expect(await kept()).toEqual(dialect === "sqlite" ? { requests: ["next-day"], samples: [5] } : wholePartitions);
    });

    it("at the partitions' ends both stores hold the same rows", async () => {
      await s.retention.apply(POLICY, NOW3);
      expect(await kept()).toEqual({ requests: ["next-day"], samples: [5] });
    });
  });

  describe("a series recompute after its requests are gone", () => {
    // The series is "a sweep over the stored requests" (lib/series/README.md), recomputed a minute
    // range at a time when ingest marks it; the minute and hour roll-ups are kept longer than the
    // requests (ROLLUP_RETENTION_DAYS against REQUEST_RETENTION_DAYS). Day D0's requests and
    // seconds expire at NOW; its minutes and hours do not.
    const D0 = Date.UTC(2026, 10, 25); // T0 is 10:00 that day
    const NOW = D0 + 2 * DAY;
    const POLICY: RetentionPolicy = { requestsMs: DAY, secondsMs: DAY, minutesMs: 30 * DAY, samplesMs: HOUR };
    const MIN = T0 / 1000; // the minute (and hour) of the original requests
    const LATER_MIN = MIN + 30 * 60; // half an hour later, same hour
    let t: TestStore;
    let s: Store;
    let maintainer: SeriesMaintainer;
    let keyId: number;

    beforeAll(async () => {
      t = await createTestStore(dialect);
      s = t.store;
      maintainer = new SeriesMaintainer(s.series, 600_000);
      // Three requests in flight at once in the minute of T0.
      await s.ingest.commit("t", [row(HASH, "r0", 5_000, 5_000), row(HASH, "r1", 5_100, 5_000), row(HASH, "r2", 5_200, 5_000)], null);
      await maintainer.drain();
      keyId = (await s.catalog.keyByHash(HASH))!.id;
    });
    afterAll(async () => {
      await t?.close();
    });

    const day = async (resolution: Resolution) => rows(s, keyId, resolution, D0 / 1000, D0 / 1000 + 86_400);
    const dayRequests = async () => (await s.ingest.admittedOverlapping(keyId, D0, D0 + DAY, 0)).map((r) => r.requestId);

    it("retention removes the requests and seconds and keeps the minute and hour they made", async () => {
      expect(await dayRequests()).toEqual(["r0", "r1", "r2"]);
      // 3 in flight from 10:00:05 on; r0 ends at 10:00:10.000, the other two just after.
      expect(await day("1s")).toEqual([[MIN + 5, 3, 3], [MIN + 6, 3, 0], [MIN + 7, 3, 0], [MIN + 8, 3, 0], [MIN + 9, 3, 0], [MIN + 10, 2, 0]]);
      await s.retention.apply(POLICY, NOW);
      expect(await dayRequests()).toEqual([]);
      expect(await day("1s")).toEqual([]);
      expect(await day("1m")).toEqual([[MIN, 3, 3]]);
      expect(await day("1h")).toEqual([[MIN, 3, 3]]);
    });

    it("a late row in another minute of that hour: its minute is added, the hour rolled up from the kept minutes (not from requests)", async () => {
      await s.ingest.commit("t", [row(HASH, "late-other-minute", 30 * 60_000, 1_000)], null);
      await maintainer.drain();
      expect(await day("1m")).toEqual([
        [MIN, 3, 3],
        [LATER_MIN, 1, 1],
      ]);
      expect(await day("1h")).toEqual([[MIN, 3, 4]]);
      expect(await day("1s")).toEqual([[LATER_MIN, 1, 1]]);
    });

    it("a late row in the pruned minute itself: that minute becomes the sweep of what is still stored, losing the pruned requests", async () => {
      // Pins the current behaviour (the lib/series promise taken literally), not a wish: a recompute
      // trusts the request table, so a minute whose requests retention removed is rebuilt from the
      // late row alone (3 in flight and 3 admitted become 1 and 1). It takes a row starting before
      // REQUEST_RETENTION_DAYS: a backfill or reconcile pass reaching further back than that, or a
      // row flushed days late. Should recomputes learn to leave such ranges alone, expect
      // [MIN, 3, 3] here instead.
      await s.ingest.commit("t", [row(HASH, "late-same-minute", 7_000, 1_000)], null);
      await maintainer.drain();
      expect(await day("1m")).toEqual([
        [MIN, 1, 1],
        [LATER_MIN, 1, 1],
      ]);
      expect(await day("1h")).toEqual([[MIN, 1, 2]]);
      expect(await day("1s")).toEqual([
        [MIN + 7, 1, 1],
        [LATER_MIN, 1, 1],
      ]);
    });

    it("the next retention run removes the late rows and their seconds again, and keeps the minutes", async () => {
      await s.retention.apply(POLICY, NOW);
      expect(await dayRequests()).toEqual([]);
      expect(await day("1s")).toEqual([]);
      expect(await day("1m")).toEqual([
        [MIN, 1, 1],
        [LATER_MIN, 1, 1],
      ]);
      expect(await day("1h")).toEqual([[MIN, 1, 2]]);
    });
  });
});
