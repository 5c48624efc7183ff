// What only the Postgres store does: time partitions made on demand (also by two stores at once,
// also beside a running read), and retention by whole partitions. Runs on the run's private Postgres.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IngestRow } from "../../lib/ingest/normalize";
import { openStore } from "../../lib/store/open";
import { PARTITIONED, partitionName, rangeFor } from "../../lib/store/postgres/partitions";
import type { Store } from "../../lib/store/store";
import { counts } from "../support/rows";
import { createTestStore, type TestStore } from "../support/store";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const H = (c: string) => c.repeat(64);

const row = (hash: string, id: string, startMs: number, dur = 1_000): IngestRow => ({
  requestId: id,
  keyHash: hash,
  startMs,
  endMs: startMs + dur,
  status: "success",
  limitType: null,
  rejected: false,
  model: "gpt-4o",
});

describe("partition names and ranges", () => {
  it("names a partition by its UTC start and cuts its range to the gap between existing ones", () => {
    expect(partitionName(PARTITIONED.request, Date.UTC(2026, 11, 2))).toBe("request_p20261202");
    expect(partitionName(PARTITIONED.series1s, Date.UTC(2026, 11, 2) / 1000)).toBe("series_1s_p20261202");
    expect(partitionName(PARTITIONED.samples, Date.UTC(2026, 11, 2, 16))).toBe("limiter_sample_p2026120216");
    expect(partitionName(PARTITIONED.samples, Date.UTC(2026, 11, 2, 16, 30))).toBe("limiter_sample_p20261202163000");

    const d = Date.UTC(2026, 11, 2);
    expect(rangeFor(PARTITIONED.request, [], d + 5)).toEqual({ from: d, to: d + DAY });
    // Existing partitions made under another span: the new one fills the gap around the value.
    const existing = [
      { from: d - HOUR, to: d + HOUR },
      { from: d + 20 * HOUR, to: d + 30 * HOUR },
    ];
    expect(rangeFor(PARTITIONED.request, existing, d + 5 * HOUR)).toEqual({ from: d + HOUR, to: d + 20 * HOUR });
  });
});

describe("postgres partitions", () => {
  let t: TestStore;
  let s: Store;
  let db: pg.Client;

  beforeAll(async () => {
    t = await createTestStore("postgres");
    s = t.store;
    db = new pg.Client({ connectionString: t.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  async function partitions(table: string): Promise<string[]> {
    const { rows } = await db.query<{ name: string }>(
      "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY 1",
      [table],
    );
    return rows.map((r) => r.name);
  }
  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await db.query(sql, params);
    return Number(Object.values(rows[0])[0]);
  }

  it("creates the partitions a backfill into an old day needs, in every table", async () => {
    const old = Date.UTC(2025, 5, 1, 12, 30);
    const res = await s.ingest.commit("t", [row(H("a"), "old-1", old), row(H("a"), "old-2", old + 1_000), row(H("b"), "old-3", old + DAY)], null);
    expect(res).toEqual({ inserted: 3, newUnknownKeys: [H("a"), H("b")] });
    expect(await partitions("request")).toEqual(["request_p20250601", "request_p20250602"]);
    const { rows } = await db.query("SELECT pg_get_expr(c.relpartbound, c.oid) AS b FROM pg_class c WHERE c.relname = 'request_p20250601'");
    expect(rows[0].b).toBe(`FOR VALUES FROM ('${Date.UTC(2025, 5, 1)}') TO ('${Date.UTC(2025, 5, 2)}')`);
    // The partition has the parent's primary key, attached to it (no second index).
    expect(await count("SELECT count(*) FROM pg_index WHERE indrelid = 'request_p20250601'::regclass")).toBe(1);

    const a = (await s.catalog.keyByHash(H("a")))!;
    const sec = Math.floor(old / 1000);
    await s.series.replace(a.id, sec, sec + 60, [{ sec, maxInFlight: 2, ...counts(2) }], [{ sec: sec - 30, maxInFlight: 2, ...counts(2) }]);
    expect(await partitions("series_1s")).toEqual(["series_1s_p20250601"]);
    expect(await partitions("series_1m")).toEqual(["series_1m_p20250601"]);
    await s.samples.insert([{ keyId: a.id, atMs: old, era: "gauge", believedInFlight: 1, rawCounter: 1, windowStartS: null, requests: null, tokens: null }]);
    expect(await partitions("limiter_sample")).toEqual(["limiter_sample_p2025060112"]);

    expect(await s.ingest.admittedOverlapping(a.id, old, old + 2_000, 60_000)).toHaveLength(2);
    expect(await s.series.totals([a.id], "1s", [[sec, sec + 60]])).toEqual([{ keyId: a.id, range: 0, maxInFlight: 2, ...counts(2) }]);
  });

  it("creates a partition beside a running read of the table (it never waits for one)", async () => {
    const reader = new pg.Client({ connectionString: t.url });
    await reader.connect();
    try {
      await reader.query("BEGIN");
      await reader.query("SELECT count(*) FROM request"); // holds ACCESS SHARE on request until the end
      const day = Date.UTC(2025, 6, 1, 8);
      // CREATE TABLE ... PARTITION OF would wait for the reader, which ends only after this commit:
      // the test would hang to its timeout and fail.
      await s.ingest.commit("t", [row(H("a"), "beside-read", day)], null);
      expect(await partitions("request")).toContain("request_p20250701");
    } finally {
      await reader.query("ROLLBACK");
      await reader.end();
    }
  });

  it("two stores writing the same new day at once both succeed, into one partition", async () => {
    const other = await openStore(t.url);
    try {
      const day = Date.UTC(2025, 7, 15);
      const page = (who: string, n: number) => Array.from({ length: 200 }, (_, i) => row(H(i % 2 ? "a" : "c"), `${who}-${n}-${i}`, day + n * 10_000 + i));
      const pages = await Promise.all([0, 1, 2, 3].flatMap((n) => [s.ingest.commit("t", page("s", n), null), other.ingest.commit("t", page("o", n), null)]));
      expect(pages.reduce((sum, p) => sum + p.inserted, 0)).toBe(1_600);
      // Key c was unknown to both: exactly one of them created its placeholder.
      expect(pages.flatMap((p) => p.newUnknownKeys)).toEqual([H("c")]);
      expect((await partitions("request")).filter((p) => p === "request_p20250815")).toHaveLength(1);
      expect(await count("SELECT count(*) FROM request WHERE start_ms >= $1 AND start_ms < $2", [day, day + DAY])).toBe(1_600);

      const a = (await s.catalog.keyByHash(H("a")))!;
      const at = Date.UTC(2025, 7, 15, 9);
      const sample = (atMs: number) => ({ keyId: a.id, atMs, era: "gauge" as const, believedInFlight: 1, rawCounter: 1, windowStartS: null, requests: null, tokens: null });
      await Promise.all([s.samples.insert([sample(at)]), other.samples.insert([sample(at + 1)]), s.samples.insert([sample(at + 2)])]);
      expect((await partitions("limiter_sample")).filter((p) => p === "limiter_sample_p2025081509")).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

});

describe("postgres retention by partitions", () => {
  let t: TestStore;
  let db: pg.Client;
  beforeAll(async () => {
    t = await createTestStore("postgres");
    db = new pg.Client({ connectionString: t.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const partitions = async (table: string) =>
    (
      await db.query<{ name: string }>(
        "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY 1",
        [table],
      )
    ).rows.map((r) => r.name);
  const sample = (keyId: number, atMs: number) => ({ keyId, atMs, era: "gauge" as const, believedInFlight: 1, rawCounter: 1, windowStartS: null, requests: null, tokens: null });
  const at = (d: number, h: number, m = 0) => Date.UTC(2026, 0, d, h, m);
  const policy = { requestsMs: 7 * DAY, secondsMs: 7 * DAY, minutesMs: 7 * DAY, samplesMs: 2 * HOUR };

  it("drops whole expired partitions, keeps newer rows (and older ones sharing their partition), makes the next ones", async () => {
    const s = t.store;
    const now = at(20, 10, 30); // cutoffs: requests and series 13th 10:30, samples 20th 08:30
    await s.ingest.commit(
      "t",
      [row(H("a"), "d10", at(10, 12)), row(H("a"), "d12", at(12, 12)), row(H("a"), "d13-early", at(13, 9)), row(H("a"), "d13-late", at(13, 11)), row(H("a"), "d19", at(19, 12))],
      null,
    );
    const a = (await s.catalog.keyByHash(H("a")))!;
    const sec12 = at(12, 12) / 1000;
    await s.series.replace(a.id, sec12, sec12 + 60, [{ sec: sec12, maxInFlight: 1, ...counts(1) }], [{ sec: sec12, maxInFlight: 1, ...counts(1) }]);
    await s.samples.insert([at(20, 7), at(20, 8, 10), at(20, 9), at(20, 10)].map((ms) => sample(a.id, ms)));
    // A partition left detached, not dropped, by an interrupted run.
    await db.query("ALTER TABLE request DETACH PARTITION request_p20260110");

    const report = await s.retention.apply(policy, now);
    expect(report).toEqual({
      request_partitions_dropped: 1, // the 12th (the 10th's leftover table goes too, uncounted)
      series_1s_partitions_dropped: 1,
      series_1m_partitions_dropped: 1,
      series_1h_partitions_dropped: 1,
      limiter_sample_partitions_dropped: 1, // 07:00
      partitions_created: 9, // now and the next span: request, series_1s, series_1m, series_1h on the 20th and 21st; samples 11:00
    });
    expect(await partitions("request")).toEqual(["request_p20260113", "request_p20260119", "request_p20260120", "request_p20260121"]);
    expect((await db.query("SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('request_p20260110', 'request_p20260112')")).rows[0].n).toBe(0);
    // The 13th straddles the cutoff: its row from before 10:30 stays until the whole day expires.
    expect((await db.query("SELECT request_id FROM request ORDER BY start_ms")).rows.map((r) => r.request_id)).toEqual(["d13-early", "d13-late", "d19"]);
    expect(await partitions("series_1s")).toEqual(["series_1s_p20260120", "series_1s_p20260121"]);
    expect(await partitions("series_1m")).toEqual(["series_1m_p20260120", "series_1m_p20260121"]);
    expect(await partitions("series_1h")).toEqual(["series_1h_p20260120", "series_1h_p20260121"]);
    expect(await s.series.totals([a.id], "1s", [[0, now / 1000]])).toEqual([]);
    expect(await partitions("limiter_sample")).toEqual([
      "limiter_sample_p2026012008",
      "limiter_sample_p2026012009",
      "limiter_sample_p2026012010",
      "limiter_sample_p2026012011",
    ]);
    expect(await s.samples.latest([a.id], 0)).toEqual(new Map([[a.id, { atMs: at(20, 10), believed: 1, rawCounter: 1 }]]));

    // Again at the same instant: nothing to drop or make.
    expect(await s.retention.apply(policy, now)).toEqual({
      request_partitions_dropped: 0,
      series_1s_partitions_dropped: 0,
      series_1m_partitions_dropped: 0,
      series_1h_partitions_dropped: 0,
      limiter_sample_partitions_dropped: 0,
      partitions_created: 0,
    });
    expect((await s.ingest.commit("t", [row(H("a"), "d20", now)], null)).inserted).toBe(1);
  });

  /** A DETACH CONCURRENTLY waiting for a reader of the table, cancelled: the partition stays "detach pending". */
  async function leavePending(name: string) {
    const reader = new pg.Client({ connectionString: t.url });
    const detacher = new pg.Client({ connectionString: t.url });
    await reader.connect();
    await detacher.connect();
    try {
      await reader.query("BEGIN");
      await reader.query("SELECT count(*) FROM request");
      const pid = (await detacher.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
      const detach = detacher.query(`ALTER TABLE request DETACH PARTITION ${name} CONCURRENTLY`).then(
        () => "done",
        (e: Error) => e.message,
      );
      for (let i = 0; i < 200; i++) {
        const { rows } = await db.query("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", [pid]);
        if (rows[0]?.wait_event_type === "Lock") break;
        await new Promise((r) => setTimeout(r, 25));
      }
      await db.query("SELECT pg_cancel_backend($1)", [pid]);
      expect(await detach).toMatch(/cancel/);
    } finally {
      await reader.query("ROLLBACK");
      await reader.end();
      await detacher.end();
    }
    const pending = await db.query("SELECT inhdetachpending AS p FROM pg_inherits WHERE inhrelid = $1::regclass", [name]);
    expect(pending.rows).toEqual([{ p: true }]);
  }

  it("finishes a detach left pending by an interrupted run: drops it when expired, else puts it back", async () => {
    const s = t.store;
    await s.ingest.commit("t", [row(H("a"), "pending-26", at(26, 5)), row(H("a"), "pending-30", at(30, 5))], null);
    await leavePending("request_p20260126");
    const report = await s.retention.apply({ ...policy, requestsMs: DAY }, at(28, 6));
    expect(report.request_partitions_dropped).toBeGreaterThanOrEqual(1);
    expect(await partitions("request")).not.toContain("request_p20260126");
    expect((await db.query("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'request_p20260126'")).rows[0].n).toBe(0);

    // Not expired (say the policy grew since): attached again, rows and all.
    await leavePending("request_p20260130");
    const a = (await s.catalog.keyByHash(H("a")))!;
    expect(await s.ingest.admittedOverlapping(a.id, at(30, 5), at(30, 6), 0)).toEqual([]); // invisible while pending
    await s.retention.apply({ ...policy, requestsMs: DAY }, at(29, 6));
    expect(await partitions("request")).toContain("request_p20260130");
    expect((await s.ingest.admittedOverlapping(a.id, at(30, 5), at(30, 6), 0)).map((r) => r.requestId)).toEqual(["pending-30"]);
  });

  it("a store writes again into a range another store's retention dropped from under its cache", async () => {
    const s = t.store;
    const other = await openStore(t.url);
    try {
      const day = at(22, 6);
      await s.ingest.commit("t", [row(H("a"), "cached-1", day)], null); // s caches request_p20260122
      const report = await other.retention.apply({ ...policy, requestsMs: DAY }, at(24, 6));
      expect(report.request_partitions_dropped).toBeGreaterThan(0);
      expect(await partitions("request")).not.toContain("request_p20260122");
      // s's insert finds no partition, reads the catalog again, makes it, and runs once more.
      expect(await s.ingest.commit("t", [row(H("a"), "cached-2", day)], null)).toEqual({ inserted: 1, newUnknownKeys: [] });
      expect(await partitions("request")).toContain("request_p20260122");
    } finally {
      await other.close();
    }
  });
});
