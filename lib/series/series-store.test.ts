import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteCatalogStore } from "../catalog/sqlite-store";
import { SqliteIngestStore } from "../ingest/sqlite-store";
import type { IngestRow } from "../ingest/normalize";
import { openSqlite, type Sqlite } from "../store/sqlite";
import { createTestDb, type TestDb } from "../../tests/support/db";
import { KeyQueries } from "./key-queries";
import { SeriesMaintainer } from "./maintain";

const HASH = "d".repeat(64);
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
let store: TestDb;
let sqlite: Sqlite;
let ingest: SqliteIngestStore;
let maintainer: SeriesMaintainer;
let q: KeyQueries;

const row = (id: string, startOff: number, dur: number, rejected = false): IngestRow => ({
  requestId: id,
  keyHash: HASH,
  startMs: T0 + startOff,
  endMs: T0 + startOff + dur,
  status: rejected ? "failure" : "success",
  rejected,
  model: "gpt-4o",
});

beforeAll(async () => {
  store = await createTestDb();
  sqlite = openSqlite(store.url);
  sqlite.prepare("INSERT INTO key (hash, alias, in_catalog, first_seen_at) VALUES (?, 'k', 1, ?)").run(HASH, new Date().toISOString());
  ingest = new SqliteIngestStore(sqlite);
  maintainer = new SeriesMaintainer(sqlite, 600_000);
  q = new KeyQueries(sqlite, 600_000);
});
afterAll(async () => {
  sqlite.close();
  await store.close();
});

const drain = () => {
  while (maintainer.run().changes.length > 0);
};
const keyId = () => q.keyByHash(HASH)!.id;
const second = (off: number) => sqlite.prepare("SELECT max_in_flight AS m, admitted AS a, rejected AS r FROM series_1s WHERE key_id = ? AND sec = ?").get(keyId(), (T0 + off) / 1000);

describe("series maintenance and reads", () => {
  it("stores each request once and the exact per-second peak", () => {
    const rows = [row("a", 0, 5_000), row("b", 1_000, 1_000), row("c", 1_500, 200), row("x", 1_600, 0, true)];
    expect(ingest.commit("t", rows, null).inserted).toBe(4);
    expect(ingest.commit("t", rows, null).inserted).toBe(0); // idempotent
    drain();
    expect(second(0)).toEqual({ m: 1, a: 1, r: 0 });
    expect(second(1_000)).toEqual({ m: 3, a: 2, r: 1 });
    expect(second(2_000)).toEqual({ m: 1, a: 0, r: 0 }); // b ended exactly at 2 s: back-to-back, not overlapping
    expect(second(5_000)).toBeUndefined(); // nothing in flight: not stored
  });

  it("a late row (a long request reported minutes later) updates the seconds it covers", () => {
    ingest.commit("t", [row("late", -120_000, 125_000)], null);
    drain();
    expect(second(1_000)).toEqual({ m: 4, a: 2, r: 0 + 1 });
    expect(second(-60_000)).toEqual({ m: 1, a: 0, r: 0 });
  });

  it("downsampled reads keep every bucket's peak and the minute roll-up agrees", () => {
    const fromSec = (T0 - 600_000) / 1000;
    const toSec = (T0 + 600_000) / 1000;
    const fine = q.seriesWindow(keyId(), fromSec, toSec, 2000);
    expect(fine.resolution).toBe("1s");
    expect(Math.max(...fine.buckets.map((b) => b.maxInFlight))).toBe(4);
    const coarse = q.seriesWindow(keyId(), fromSec, toSec, 15);
    expect(coarse.bucketSec).toBe(120);
    expect(coarse.resolution).toBe("1m");
    expect(Math.max(...coarse.buckets.map((b) => b.maxInFlight))).toBe(4);
    expect(coarse.buckets.reduce((s, b) => s + b.admitted, 0)).toBe(fine.buckets.reduce((s, b) => s + b.admitted, 0));
  });

  it("evidence names the requests in flight at the peak instant", () => {
    const ev = q.evidence(keyId(), T0 + 1_000, T0 + 2_000);
    expect(ev.peak).toBe(4);
    expect(ev.peakAtMs).toBe(T0 + 1_500);
    expect(ev.requests.map((r) => r.requestId).sort()).toEqual(["a", "b", "c", "late"]);
    expect(q.evidence(keyId(), T0 + 60_000, T0 + 61_000)).toMatchObject({ peak: 0, peakAtMs: null, requests: [] });
  });

  it("limit steps: the limit in force at each point, the first known one standing in before", () => {
    const catalog = new SqliteCatalogStore(sqlite);
    const limits = (mpr: number) => ({ maxParallelRequests: mpr, rpmLimit: null, tpmLimit: null });
    catalog.apply({ upserts: [], limitChanges: [{ hash: HASH, limits: limits(3) }], removed: [] }, T0);
    catalog.apply({ upserts: [], limitChanges: [{ hash: HASH, limits: limits(6) }], removed: [] }, T0 + 60_000);
    expect(q.limitSteps(keyId(), T0 - 3_600_000, T0 + 3_600_000).map((s) => [s.fromMs - T0, s.maxParallelRequests])).toEqual([
      [-3_600_000, 3],
      [60_000, 6],
    ]);
    expect(q.limitSteps(keyId(), T0 + 120_000, T0 + 180_000).map((s) => [s.fromMs - T0, s.maxParallelRequests])).toEqual([[120_000, 6]]);
  });
});
