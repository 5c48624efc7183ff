// The store contract: every repository behaves the same on every adapter. Each block runs once
// per dialect against a real database (a SQLite file, a database on the run's private Postgres).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Limits } from "../../lib/catalog/diff";
import type { VirtualKey } from "../../lib/litellm/schemas";
import type { Store } from "../../lib/store/store";
import { counts, row, T0 } from "../support/rows";
import { createTestStore, DIALECTS, type TestStore } from "../support/store";

const H = (c: string) => c.repeat(64);
const limits = (mpr: number | null, rpm: number | null = null): Limits => ({ maxParallelRequests: mpr, rpmLimit: rpm, tpmLimit: null });

function listed(hash: string, patch: Partial<VirtualKey> = {}): VirtualKey {
  return {
    token: hash,
    key_alias: `alias-${hash.slice(0, 4)}`,
    team_id: "team-a",
    max_parallel_requests: 5,
    rpm_limit: 100,
    tpm_limit: null,
    blocked: false,
    ...patch,
  } as VirtualKey;
}


describe.each(DIALECTS)("store contract on %s", (dialect) => {
  let t: TestStore;
  let s: Store;
  beforeAll(async () => {
    t = await createTestStore(dialect);
    s = t.store;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe("catalog", () => {
    it("records keys and a limit change only when limits change, keeping the history", async () => {
      const a = listed(H("a"));
      const b = listed(H("b"), { max_parallel_requests: null, team_id: null, key_alias: null });
      await s.catalog.apply({ upserts: [a, b], limitChanges: [{ hash: a.token, limits: limits(5, 100) }, { hash: b.token, limits: limits(null) }], removed: [] }, T0);
      await s.catalog.apply({ upserts: [{ ...a, max_parallel_requests: 8 }], limitChanges: [{ hash: a.token, limits: limits(8, 100) }], removed: [] }, T0 + 60_000);

      const stored = await s.catalog.storedKeys();
      const sa = stored.find((k) => k.hash === a.token)!;
      expect(sa).toMatchObject({ inCatalog: true, maxParallelRequests: 8, rpmLimit: 100, tpmLimit: null, lastRecorded: limits(8, 100) });
      expect(stored.find((k) => k.hash === b.token)!.lastRecorded).toEqual(limits(null));

      const ka = (await s.catalog.keyByHash(a.token))!;
      expect(ka).toMatchObject({ hash: a.token, alias: a.key_alias, teamId: "team-a", maxParallelRequests: 8, rpmLimit: 100, inCatalog: true });
      expect(await s.catalog.keyByHash(H("f"))).toBeNull();

      const changes = await s.catalog.limitChanges([ka.id], T0 + 3_600_000);
      expect(changes.map((c) => [c.keyId, c.fromMs, c.maxParallelRequests, c.source])).toEqual([
        [ka.id, T0, 5, "proxy"],
        [ka.id, T0 + 60_000, 8, "proxy"],
      ]);
      // Only changes that took effect before the end asked for.
      expect(await s.catalog.limitChanges([ka.id], T0 + 60_000)).toHaveLength(1);
    });

    it("marks keys the proxy no longer lists, and lists keys known from requests", async () => {
      await s.catalog.apply({ upserts: [], limitChanges: [], removed: [H("b")] }, T0 + 120_000);
      expect((await s.catalog.keyByHash(H("b")))!.inCatalog).toBe(false);
      expect((await s.catalog.catalogKeys()).map((k) => k.hash)).toEqual([H("a")]);
      // b has no request: not listed; a request from an unknown key adds a placeholder that is.
      const res = await s.ingest.commit("t", [row(H("c"), "c-1", 0, 1_000)], null);
      expect(res.newUnknownKeys).toEqual([H("c")]);
      const shown = (await s.catalog.listedKeys()).map((k) => [k.hash, k.inCatalog, k.maxParallelRequests]);
      expect(shown).toEqual([
        [H("a"), true, 8],
        [H("c"), false, null],
      ]);
    });
  });

  describe("ingest", () => {
    it("stores each request once, marks what it touched, and moves the cursor in the same commit", async () => {
      expect(await s.ingest.readCursor("spend-logs")).toBeNull();
      const rows = [row(H("a"), "r1", 0, 5_000), row(H("a"), "r2", 1_000, 1_000), row(H("a"), "r3", 1_500, 200), row(H("a"), "x1", 1_600, 0, true)];
      const first = await s.ingest.commit("spend-logs", rows, { completeBeforeMs: T0, endWatermarkMs: T0 + 10_000 });
      expect(first).toEqual({ inserted: 4, newUnknownKeys: [] });
      expect(await s.ingest.readCursor("spend-logs")).toEqual({ completeBeforeMs: T0, endWatermarkMs: T0 + 10_000 });
      expect(await s.ingest.commit("spend-logs", rows, null)).toEqual({ inserted: 0, newUnknownKeys: [] });

      const a = (await s.catalog.keyByHash(H("a")))!;
      const marks = await s.series.dirtyMarks(100);
      expect(marks.filter((m) => m.keyId === a.id)).toEqual([expect.objectContaining({ keyId: a.id, fromMs: T0, toMs: T0 + 5_000 })]);
      expect(marks.map((m) => m.id)).toEqual([...marks.map((m) => m.id)].sort((x, y) => x - y));
    });

    it("reads the admitted requests overlapping a window, oldest first", async () => {
      const a = (await s.catalog.keyByHash(H("a")))!;
      const got = await s.ingest.admittedOverlapping(a.id, T0 + 1_500, T0 + 2_000, 60_000);
      expect(got.map((r) => r.requestId)).toEqual(["r1", "r2", "r3"]);
      expect(got[0]).toEqual({ requestId: "r1", startMs: T0, endMs: T0 + 5_000, status: "success", model: "gpt-4o" });
      expect(await s.ingest.admittedOverlapping(a.id, T0 + 6_000, T0 + 7_000, 60_000)).toEqual([]);
      expect(await s.ingest.anyStartedSince(T0 + 1_000)).toBe(true);
      expect(await s.ingest.anyStartedSince(T0 + 3_600_000)).toBe(false);
    });
  });

  describe("metrics counters", () => {
    it("counts each stored request once, admitted and rejected, in the ingest commit", async () => {
      const a = (await s.catalog.keyByHash(H("a")))!;
      const c = (await s.catalog.keyByHash(H("c")))!;
      const counters = await s.metrics.counters([a.id, c.id, 999_999]);
      // r1, r2, r3 admitted and x1 rejected for a (the re-commit counted nothing); c-1 for c.
      expect(counters).toEqual(
        new Map([
          [a.id, { ...counts(3, 1), violationSeconds: 0 }],
          [c.id, { ...counts(1, 0), violationSeconds: 0 }],
        ]),
      );
    });

    it("counts each violation second once however often offered, moves the counting cursor with it, and forgets old seconds", async () => {
      const a = (await s.catalog.keyByHash(H("a")))!;
      const secs = (...xs: number[]) => xs.map((sec) => ({ keyId: a.id, sec }));
      expect(await s.metrics.violationsCountedThrough()).toBeNull();
      expect(await s.metrics.countViolationSeconds(secs(990, 991, 992, 993), 1_000)).toEqual(new Map([[a.id, 4]]));
      // Offered again with new ones (a recount): only the new ones count; no cursor move asked.
      expect(await s.metrics.countViolationSeconds(secs(991, 993, 995, 995, 996), null)).toEqual(new Map([[a.id, 2]]));
      expect(await s.metrics.violationsCountedThrough()).toBe(1_000);
      expect(await s.metrics.countViolationSeconds([], 1_060)).toEqual(new Map());
      expect(await s.metrics.violationsCountedThrough()).toBe(1_060);
      expect((await s.metrics.counters([a.id])).get(a.id)).toEqual({ ...counts(3, 1), violationSeconds: 6 });
      // Forgotten seconds could be counted again: only ever forget what no late row reaches.
      expect(await s.metrics.pruneViolationSecondsBefore(993)).toBe(3);
      expect(await s.metrics.countViolationSeconds(secs(993, 995), null)).toEqual(new Map());
    });
  });

  describe("series", () => {
    it("sweep input: admitted requests overlapping the range (with lookback) and the rejections in it", async () => {
      const a = (await s.catalog.keyByHash(H("a")))!;
      const input = await s.series.sweepInput(a.id, T0 + 1_000, T0 + 2_000, 60_000);
      expect([...input.starts].sort()).toEqual([T0, T0 + 1_000, T0 + 1_500]);
      expect([...input.ends].sort()).toEqual([T0 + 1_700, T0 + 2_000, T0 + 5_000]);
      expect(input.rejectedAt).toEqual([T0 + 1_600]);
      expect(input.limitedAt).toEqual({ rejectedRpm: [], rejectedTpm: [], rejectedOther: [] });
    });

    it("replaces a range, reads buckets, totals and rows above a threshold at both resolutions, with every count", async () => {
      const a = (await s.catalog.keyByHash(H("a")))!;
      const c = (await s.catalog.keyByHash(H("c")))!;
      const sec0 = T0 / 1000;
      const seconds = [
        { sec: sec0, maxInFlight: 1, ...counts(1, 0) },
        // The other 429s [rpm, tpm, other] on some rows only: rows with and without them in one write.
        { sec: sec0 + 1, maxInFlight: 3, ...counts(2, 1, [2, 0, 1]) },
        { sec: sec0 + 61, maxInFlight: 7, ...counts(1, 0, [0, 3, 0]) },
      ];
      const minutes = [
        { sec: sec0, maxInFlight: 3, ...counts(3, 1, [2, 0, 1]) },
        { sec: sec0 + 60, maxInFlight: 7, ...counts(1, 0, [0, 3, 0]) },
      ];
      await s.series.replace(a.id, sec0, sec0 + 120, seconds, minutes);
      await s.series.replace(c.id, sec0, sec0 + 60, [{ sec: sec0 + 5, maxInFlight: 2, ...counts(1, 0) }], [{ sec: sec0, maxInFlight: 2, ...counts(1, 0) }]);

      const fine = await s.series.buckets({ keyIds: [a.id, c.id], resolution: "1s", fromSec: sec0, toSec: sec0 + 120, bucketSec: 30 });
      expect(sortBuckets(fine)).toEqual(
        sortBuckets([
          { keyId: a.id, t: sec0, maxInFlight: 3, ...counts(3, 1, [2, 0, 1]) },
          { keyId: a.id, t: sec0 + 60, maxInFlight: 7, ...counts(1, 0, [0, 3, 0]) },
          { keyId: c.id, t: sec0, maxInFlight: 2, ...counts(1, 0) },
        ]),
      );
      const coarse = await s.series.buckets({ keyIds: [a.id], resolution: "1m", fromSec: sec0, toSec: sec0 + 120, bucketSec: 120 });
      expect(coarse).toEqual([{ keyId: a.id, t: sec0, maxInFlight: 7, ...counts(4, 1, [2, 3, 1]) }]);
      // The hour roll-up is made from the minutes (T0 is on the hour).
      expect(await s.series.totals([a.id], "1h", [[sec0, sec0 + 3600]])).toEqual([{ keyId: a.id, range: 0, maxInFlight: 7, ...counts(4, 1, [2, 3, 1]) }]);
      expect(await s.series.buckets({ keyIds: [a.id, c.id], resolution: "1h", fromSec: sec0, toSec: sec0 + 7200, bucketSec: 3600 })).toEqual([
        { keyId: a.id, t: sec0, maxInFlight: 7, ...counts(4, 1, [2, 3, 1]) },
        { keyId: c.id, t: sec0, maxInFlight: 2, ...counts(1, 0) },
      ]);

      expect(sortBuckets(await s.series.totals([a.id, c.id, 999_999], "1s", [[sec0, sec0 + 60]]))).toEqual(
        sortBuckets([
          { keyId: a.id, range: 0, maxInFlight: 3, ...counts(3, 1, [2, 0, 1]) },
          { keyId: c.id, range: 0, maxInFlight: 2, ...counts(1, 0) },
        ]),
      );
      expect(await s.series.totals([a.id], "1m", [[sec0 + 120, Number.MAX_SAFE_INTEGER]])).toEqual([]);
      // Several ranges in one read, each answered apart.
      expect(await s.series.totals([a.id], "1s", [[sec0, sec0 + 1], [sec0 + 1, sec0 + 120], [sec0 + 200, sec0 + 300]])).toEqual([
        { keyId: a.id, range: 0, maxInFlight: 1, ...counts(1, 0) },
        { keyId: a.id, range: 1, maxInFlight: 7, ...counts(3, 1, [2, 3, 1]) },
      ]);

      const q = (keyId: number, threshold: number, fromSec: number, toSec: number) => ({ keyId, threshold, fromSec, toSec });
      const above = await s.series.above([q(c.id, 1, sec0, sec0 + 60), q(a.id, 2, sec0, sec0 + 120)], "1s");
      expect(above).toEqual([
        { keyId: c.id, sec: sec0 + 5, maxInFlight: 2 },
        { keyId: a.id, sec: sec0 + 1, maxInFlight: 3 },
        { keyId: a.id, sec: sec0 + 61, maxInFlight: 7 },
      ]);
      // Each query its own range: a's second minute only.
      expect(await s.series.above([q(a.id, 2, sec0 + 60, sec0 + 120), q(c.id, 5, sec0, sec0 + 60)], "1s")).toEqual([{ keyId: a.id, sec: sec0 + 61, maxInFlight: 7 }]);
      expect(await s.series.above([q(a.id, 5, sec0, Number.MAX_SAFE_INTEGER)], "1m")).toEqual([{ keyId: a.id, sec: sec0 + 60, maxInFlight: 7 }]);
      expect(await s.series.above([], "1m")).toEqual([]);

      // Replacing a range removes what it no longer holds, on both tables.
      await s.series.replace(a.id, sec0 + 60, sec0 + 120, [], []);
      expect(await s.series.totals([a.id], "1s", [[sec0 + 60, sec0 + 120]])).toEqual([]);
      expect(await s.series.totals([a.id], "1m", [[sec0 + 60, sec0 + 120]])).toEqual([]);
      expect(await s.series.totals([a.id], "1s", [[sec0, sec0 + 60]])).toHaveLength(1);
      // ... and its hour is recomputed from the minutes left.
      expect(await s.series.totals([a.id], "1h", [[sec0, sec0 + 3600]])).toEqual([{ keyId: a.id, range: 0, maxInFlight: 3, ...counts(3, 1, [2, 0, 1]) }]);
    });

    it("clears dirty marks up to an id", async () => {
      const marks = await s.series.dirtyMarks(100);
      expect(marks.length).toBeGreaterThan(0);
      await s.series.clearDirty(marks[0].id);
      expect((await s.series.dirtyMarks(100)).map((m) => m.id)).toEqual(marks.slice(1).map((m) => m.id));
      await s.series.clearDirty(marks[marks.length - 1].id);
      expect(await s.series.dirtyMarks(100)).toEqual([]);
    });
  });

  describe("limiter samples", () => {
    it("keeps samples, the newest per key, and belief per bucket", async () => {
      const a = (await s.catalog.keyByHash(H("a")))!;
      const sample = (atMs: number, believed: number | null, raw: number | null) => ({
        keyId: a.id,
        atMs,
        era: "windowed" as const,
        believedInFlight: believed,
        rawCounter: raw,
        windowStartS: Math.floor(atMs / 1000),
        requests: 3,
        tokens: 10.5,
      });
      await s.samples.insert([sample(T0, 2, 2), sample(T0 + 1_000, 0, -3), sample(T0 + 61_000, 4, 4)]);
      await s.samples.insert([sample(T0 + 61_000, 5, 5.5)]); // same instant: replaces
      expect(await s.samples.latest([a.id, 999_999], T0)).toEqual(new Map([[a.id, { atMs: T0 + 61_000, believed: 5, rawCounter: 5.5 }]]));
      expect(await s.samples.latest([a.id], T0 + 62_000)).toEqual(new Map());
      expect(await s.samples.buckets(a.id, T0 / 1000, T0 / 1000 + 120, 60)).toEqual([
        { t: T0 / 1000, believed: 2, rawMin: -3, rawMax: 2, era: "windowed" },
        { t: T0 / 1000 + 60, believed: 5, rawMin: 5.5, rawMax: 5.5, era: "windowed" },
      ]);
    });
  });

  describe("runner jobs and service health", () => {
    it("records job outcomes, keeping since when a job fails", async () => {
      const t1 = new Date(T0);
      const t2 = new Date(T0 + 5_000);
      await s.jobs.recordOk("ingest", "h1", { rows: 3 }, t1);
      await s.jobs.recordFailure("ingest", "h1", "boom", t1);
      await s.jobs.recordFailure("ingest", "h2", "boom again", t2);
      const [job] = (await s.jobs.all()).filter((j) => j.name === "ingest");
      expect(job).toEqual({ name: "ingest", holder: "h2", lastRunAt: t2, lastOkAt: t1, lastError: "boom again", failingSince: t1, stats: { rows: 3 } });
      await s.jobs.recordOk("ingest", "h2", { rows: 4 }, t2);
      expect((await s.jobs.all()).find((j) => j.name === "ingest")).toMatchObject({ lastError: null, failingSince: null, stats: { rows: 4 } });
    });

    it("saves and reads each service's state", async () => {
      const state = {
        service: "redis" as const,
        ok: false,
        checkedAt: new Date(T0 + 1_234),
        lastOkAt: new Date(T0),
        latencyMs: null,
        error: "ECONNREFUSED",
        okSince: null,
        downSince: new Date(T0 + 1_000),
      };
      await s.services.save(state);
      await s.services.save({ ...state, service: "litellm", ok: true, error: null, latencyMs: 12, okSince: new Date(T0), downSince: null });
      const all = await s.services.all();
      expect(all.get("redis")).toEqual(state);
      expect(all.get("litellm")).toMatchObject({ ok: true, latencyMs: 12, okSince: new Date(T0) });
    });
  });

  describe("retention", () => {
    it("removes what is older than the policy keeps and nothing newer", async () => {
      const now = T0 + 10 * 86_400_000;
      const a = (await s.catalog.keyByHash(H("a")))!;
      // Something recent in every table, on top of the T0 data from the tests above.
      await s.ingest.commit("t", [row(H("a"), "recent", 10 * 86_400_000 - 60_000, 1_000)], null);
      const recentSec = (now - 60_000) / 1000;
      await s.series.replace(a.id, recentSec, recentSec + 60, [{ sec: recentSec, maxInFlight: 1, ...counts(1, 0) }], [{ sec: recentSec, maxInFlight: 1, ...counts(1, 0) }]);
      await s.samples.insert([{ keyId: a.id, atMs: now - 60_000, era: "gauge", believedInFlight: 1, rawCounter: 1, windowStartS: null, requests: null, tokens: null }]);

      const day = 86_400_000;
      await s.retention.apply({ requestsMs: 7 * day, secondsMs: 7 * day, minutesMs: 7 * day, samplesMs: 3_600_000 }, now);
      expect(await s.ingest.admittedOverlapping(a.id, T0, T0 + 10_000, 60_000)).toEqual([]);
      expect((await s.ingest.admittedOverlapping(a.id, now - 60_000, now, 60_000)).map((r) => r.requestId)).toEqual(["recent"]);
      expect(await s.series.totals([a.id], "1s", [[0, now / 1000 - 3600]])).toEqual([]);
      expect(await s.series.totals([a.id], "1m", [[0, now / 1000 - 3600]])).toEqual([]);
      expect(await s.series.totals([a.id], "1h", [[0, now / 1000 - 3600]])).toEqual([]);
      expect(await s.series.totals([a.id], "1h", [[now / 1000 - 3600, now / 1000]])).toHaveLength(1);
      expect(await s.series.totals([a.id], "1s", [[now / 1000 - 3600, now / 1000]])).toHaveLength(1);
      expect(await s.samples.latest([a.id], 0)).toEqual(new Map([[a.id, { atMs: now - 60_000, believed: 1, rawCounter: 1 }]]));
      expect(await s.samples.buckets(a.id, T0 / 1000, T0 / 1000 + 120, 60)).toEqual([]);
    });
  });
  describe("live seconds", () => {
    it("keeps the larger count of a second written twice, buckets by the most in flight, and prunes by second", async () => {
      await s.catalog.apply({ upserts: [listed(H("l"))], limitChanges: [], removed: [] }, T0);
      const k = (await s.catalog.keyByHash(H("l")))!;
      const sec0 = Math.floor(T0 / 1000 / 60) * 60;
      await s.live.write([
        { keyId: k.id, sec: sec0, maxInFlight: 2 },
        { keyId: k.id, sec: sec0 + 1, maxInFlight: 5 },
        { keyId: k.id, sec: sec0 + 61, maxInFlight: 1 },
      ]);
      // Written again (a late change): the larger stays, in one batch and across batches.
      await s.live.write([
        { keyId: k.id, sec: sec0, maxInFlight: 1 },
        { keyId: k.id, sec: sec0, maxInFlight: 4 },
        { keyId: k.id, sec: sec0 + 1, maxInFlight: 3 },
      ]);
      expect(await s.live.buckets(k.id, sec0, sec0 + 120, 1)).toEqual([
        { t: sec0, maxInFlight: 4 },
        { t: sec0 + 1, maxInFlight: 5 },
        { t: sec0 + 61, maxInFlight: 1 },
      ]);
      expect(await s.live.buckets(k.id, sec0, sec0 + 120, 60)).toEqual([
        { t: sec0, maxInFlight: 5 },
        { t: sec0 + 60, maxInFlight: 1 },
      ]);
      expect(await s.live.buckets(k.id, sec0 + 2, sec0 + 61, 1)).toEqual([]);
      expect(await s.live.peaks([k.id, k.id + 999], sec0, sec0 + 61)).toEqual(new Map([[k.id, 5]]));
      expect(await s.live.peaks([k.id], sec0 + 2, sec0 + 61)).toEqual(new Map());
      expect(await s.live.pruneBefore(sec0 + 61)).toBe(2);
      expect(await s.live.buckets(k.id, sec0, sec0 + 120, 1)).toEqual([{ t: sec0 + 61, maxInFlight: 1 }]);
    });
  });

  describe("burst runs", () => {
    const run = (id: string, startedMs: number) => ({
      id,
      keyHash: H("b"),
      keyAlias: "burst-key",
      teamId: null,
      actorLabel: "admin@example.com",
      auditId: 7,
      target: "key" as const,
      plan: { n: 12, holdS: 3 },
      startedMs,
    });
    it("runs from start to end: heartbeat with progress, cancel asked, cleanup recorded then cleared, report, list without it", async () => {
      await s.bursts.create(run("run-1", T0));
      await s.bursts.create(run("run-2", T0 + 1000));
      const progress = { sent: 12, admitted: 4, rejected: 8, other: 0, inFlight: 4, done: 8 };
      expect(await s.bursts.heartbeat("run-1", progress, T0 + 500)).toEqual({ cancelRequested: false, running: true });
      // A heartbeat without progress keeps the last one.
      expect(await s.bursts.heartbeat("run-1", null, T0 + 600)).toEqual({ cancelRequested: false, running: true });
      expect(await s.bursts.requestCancel("run-1")).toBe(true);
      expect(await s.bursts.heartbeat("run-1", null, T0 + 700)).toEqual({ cancelRequested: true, running: true });
      await s.bursts.twinCreated("run-1", H("t"), T0 + 800);
      await s.bursts.setRestore("run-1", { entry: "allow_client_mock_response", had: false, value: null });
      let got = (await s.bursts.get("run-1"))!;
      expect(got).toMatchObject({ state: "running", heartbeatMs: T0 + 700, progress, cancelRequested: true, twinHash: H("t"), plan: { n: 12, holdS: 3 }, auditId: 7 });
      expect(got.restore).toEqual({ entry: "allow_client_mock_response", had: false, value: null });
      await s.bursts.twinDeleted("run-1");
      await s.bursts.setRestore("run-1", null);
      const report = { verdict: "PASS", requests: [{ id: "a", sentMs: T0 }] };
      expect(await s.bursts.finish("run-1", { state: "done", endedMs: T0 + 9000, verdict: "PASS", report, message: null })).toBe(true);
      // Ended once: a second end (a repair racing it) changes nothing.
      expect(await s.bursts.finish("run-1", { state: "interrupted", endedMs: T0 + 9999, verdict: null, report: null, message: "x" })).toBe(false);
      expect(await s.bursts.requestCancel("run-1")).toBe(false);
      // An ended run's process learns it at its next beat.
      expect((await s.bursts.heartbeat("run-1", null, T0 + 9500)).running).toBe(false);
      got = (await s.bursts.get("run-1"))!;
      expect(got).toMatchObject({ state: "done", endedMs: T0 + 9000, verdict: "PASS", report, twinHash: null, restore: null });
      await s.bursts.updateReport("run-1", "INCONCLUSIVE", { ...report, verdict: "INCONCLUSIVE" });
      expect((await s.bursts.get("run-1"))!.verdict).toBe("INCONCLUSIVE");
      const list = await s.bursts.listForKey(H("b"), 10);
      expect(list.map((r) => r.id)).toEqual(["run-2", "run-1"]);
      expect("report" in list[0]).toBe(false);
      expect(await s.bursts.listForKey(H("b"), 1)).toHaveLength(1);
      expect(await s.bursts.get("nope")).toBeNull();
    });
    it("keeps the twin keys runs made out of every key list, and trusts no key's own metadata for it", async () => {
      // x claims in its metadata to be a twin: anyone may write that, so it stays listed.
      await s.catalog.apply(
        { upserts: [listed(H("w")), listed(H("x"), { metadata: { inflight_burst_twin_of: H("w") } }), listed(H("y"))], limitChanges: [], removed: [] },
        T0,
      );
      await s.bursts.create(run("run-t", T0));
      await s.bursts.twinCreated("run-t", H("y"), T0 + 100);
      const listedHashes = (await s.catalog.listedKeys()).map((k) => k.hash);
      const catalogHashes = (await s.catalog.catalogKeys()).map((k) => k.hash);
      for (const hashes of [listedHashes, catalogHashes]) {
        expect(hashes).toContain(H("w"));
        expect(hashes).toContain(H("x"));
        expect(hashes).not.toContain(H("y"));
      }
      // Still known by hash: a report may name it.
      expect(await s.catalog.keyByHash(H("y"))).not.toBeNull();
    });

    it("finds runs to repair: running with a silent heartbeat, or ended with something left to undo", async () => {
      await s.bursts.create(run("run-3", T0 + 2000));
      await s.bursts.heartbeat("run-3", null, T0 + 2500);
      await s.bursts.create(run("run-4", T0 + 3000));
      await s.bursts.heartbeat("run-4", null, T0 + 60_000);
      await s.bursts.create(run("run-5", T0 + 4000));
      await s.bursts.setRestore("run-5", { entry: "allow_client_mock_response", had: true, value: false });
      await s.bursts.finish("run-5", { state: "failed", endedMs: T0 + 5000, verdict: null, report: null, message: "could not restore" });
      // run-2 and run-t (above) never beat after their start either.
      expect((await s.bursts.needingRepair(T0 + 30_000)).map((r) => r.id)).toEqual(["run-t", "run-2", "run-3", "run-5"]);
    });
  });
});

function sortBuckets<T extends { keyId: number; t?: number; range?: number }>(xs: T[]): T[] {
  return [...xs].sort((a, b) => a.keyId - b.keyId || (a.t ?? a.range ?? 0) - (b.t ?? b.range ?? 0));
}
