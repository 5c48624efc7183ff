// A crash mid-window, at the store: a spend-log source that fails after page k of a window (its
// pages 1..k are committed, the cursor is not), then a fresh ingest over a source that does not
// fail. Nothing is missing, nothing is stored or counted twice, and the per-second series is the
// sweep of exactly the source's requests. Both step kinds: a catch-up window read oldest-started
// first, and a live poll read newest-ended first. Runs once per dialect on a real database.
import { mulberry32 } from "../../lib/traffic/prng";
import { afterEach, describe, expect, it } from "vitest";
import { sweepSeconds } from "../../lib/concurrency/sweep";
import type { CursorState, IngestTiming } from "../../lib/ingest/cursor";
import { SpendLogIngest } from "../../lib/ingest/ingest";
import type { IngestRow } from "../../lib/ingest/normalize";
import type { SpendLogCount, SpendLogPageOut, SpendLogSource, SpendLogWindow } from "../../lib/ingest/source";
import { SeriesMaintainer } from "../../lib/series/maintain";
import type { Dialect, Store } from "../../lib/store/store";
import { row, T0 } from "../support/rows";
import { createTestStore, DIALECTS, type TestStore } from "../support/store";
import { compareStoredRows, openRequestTableReader, type StoredRequestRow } from "../support/stored-requests";

const TIMING: IngestTiming = { maxRequestMs: 30_000, flushLagMs: 3_000, clockSkewMs: 1_000, backfillMs: 3_600_000 };
const NOW = T0 + 2 * 3_600_000;
const PAGE = 40;
const HASHES = ["a", "b", "c"].map((c) => c.repeat(64));
const quiet = { warn: () => undefined };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A spend-log row as the proxy lists it (docs/litellm-reference.md §4.3, §9.7), from a normalized one. */
function listed(r: IngestRow) {
  return {
    request_id: r.requestId,
    api_key: r.keyHash,
    startTime: new Date(r.startMs).toISOString(),
    endTime: new Date(r.endMs).toISOString(),
    status: r.status,
    model: r.model,
    // A concurrency rejection's row names its limit (lib/ingest/limit-type.ts): a bare 429 is of an unknown limit.
    metadata: r.rejected
      ? { error_information: { error_code: "429", error_message: `429: Rate limit exceeded for api_key: ${r.keyHash}. Limit type: max_parallel_requests.` } }
      : {},
  };
}

const byId = (a: IngestRow, b: IngestRow) => (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0);

/**
 * A proxy's spend logs over a fixed set of rows: a window's rows (startTime in [from, to]) in pages
 * of PAGE, in the order asked for. With `failAfterPage` k, it throws when asked for page k + 1:
 * the ingest has stored pages 1..k by then, and has not reached the cursor.
 */
class PagedSource implements SpendLogSource {
  readonly asked: SpendLogWindow[] = [];
  readonly served: IngestRow[][] = [];

  constructor(
    private readonly rows: IngestRow[],
    private readonly failAfterPage: number | null = null,
  ) {}

  describe() {
    return { route: "/spend/logs/ui" as const, pageSize: PAGE, endTimeSort: true };
  }

  /** As the proxy filters: its dates are whole seconds, both ends included. */
  private inWindow(fromMs: number, toMs: number): IngestRow[] {
    const from = Math.floor(fromMs / 1000) * 1000;
    const to = Math.floor(toMs / 1000) * 1000;
    return this.rows.filter((r) => r.startMs >= from && r.startMs <= to);
  }

  async count(fromMs: number, toMs: number): Promise<SpendLogCount> {
    return { total: this.inWindow(fromMs, toMs).length, capped: false };
  }

  async *pages(w: SpendLogWindow): AsyncGenerator<SpendLogPageOut> {
    this.asked.push(w);
    const rows = this.inWindow(w.fromMs, w.toMs);
    rows.sort(w.order === "endDesc" ? (a, b) => b.endMs - a.endMs || byId(a, b) : (a, b) => a.startMs - b.startMs || byId(a, b));
    for (let i = 0; i < rows.length; i += PAGE) {
      if (this.served.length === this.failAfterPage) throw new Error(`the source failed after page ${this.failAfterPage}`);
      const page = rows.slice(i, i + PAGE);
      this.served.push(page);
      yield { rows: page.map(listed), endDesc: w.order === "endDesc" ? true : null };
    }
  }
}

const key = (r: IngestRow): StoredRequestRow => ({ keyHash: r.keyHash, startMs: r.startMs, requestId: r.requestId });
const keysOf = (rows: IngestRow[]) => rows.map(key).sort(compareStoredRows);

/** The stored per-second series of each key, as [hash, second, most in flight, admitted, rejected]. */
async function storedSeries(s: Store, fromSec: number, toSec: number) {
  const out: number[][] = [];
  for (const [i, hash] of HASHES.entries()) {
    const k = await s.catalog.keyByHash(hash);
    if (!k) continue;
    const buckets = await s.series.buckets({ keyIds: [k.id], resolution: "1s", fromSec, toSec, bucketSec: 1 });
    for (const b of buckets) out.push([i, b.t, b.maxInFlight, b.admitted, b.rejected]);
  }
  return out;
}

/** The same, swept straight from the rows (lib/concurrency): seconds with nothing going on are absent, as in the store. */
function sweptSeries(rows: IngestRow[], fromSec: number, toSec: number) {
  const out: number[][] = [];
  for (const [i, hash] of HASHES.entries()) {
    const mine = rows.filter((r) => r.keyHash === hash);
    const admitted = mine.filter((r) => !r.rejected);
    const s = sweepSeconds({
      starts: admitted.map((r) => r.startMs),
      ends: admitted.map((r) => r.endMs),
      rejectedAt: mine.filter((r) => r.rejected).map((r) => r.startMs),
      fromSec,
      toSec,
    });
    for (let j = 0; j < toSec - fromSec; j++) {
      if (s.maxInFlight[j] || s.admitted[j] || s.rejected[j]) out.push([i, fromSec + j, s.maxInFlight[j], s.admitted[j], s.rejected[j]]);
    }
  }
  return out;
}

interface Scenario {
  kind: "catch-up" | "live";
  /** The cursor before the step (null: a fresh store). */
  cursor: CursorState | null;
  /** Rows stored before the step (an earlier poll's), part of the proxy's rows too. */
  stored: IngestRow[];
  /** Every row the proxy has. */
  rows: IngestRow[];
  window: SpendLogWindow;
  after: CursorState;
  failAfterPage: number;
}

/**
 * A catch-up step on a fresh store reads [now - backfill, + 5 min] oldest-started first. 200
 * requests of three keys start in it (the first exactly at its start, the last exactly at its end),
 * up to 25 s long, some limiter 429s: five pages.
 */
function catchUp(): Scenario {
  const rnd = mulberry32(1);
  const from = NOW - TIMING.backfillMs;
  const to = from + 300_000;
  const rows = Array.from({ length: 200 }, (_, i) => {
    const startOff = from - T0 + Math.round((i * (to - from)) / 199);
    const rejected = rnd() < 0.08;
    return row(HASHES[Math.floor(rnd() * 3)], `cu-${i}`, startOff, rejected ? 0 : Math.floor(rnd() * 25_000), rejected);
  });
  return {
    kind: "catch-up",
    cursor: null,
    stored: [],
    rows,
    window: { fromMs: from, toMs: to, order: "startAsc" },
    after: { completeBeforeMs: to, endWatermarkMs: to },
    failAfterPage: 2,
  };
}

/**
 * A live poll: the last one left C = now - 50 s and W = now - 20 s, so this one reads [C, now + skew]
 * newest-ended first and stops at the first page that reaches back before W. The proxy has 200
 * requests that ended since W (five pages), 20 that started after C and ended before W and 10
 * older ones (both stored by the last poll, the former read again on the sixth page).
 */
function live(): Scenario {
  const rnd = mulberry32(2);
  const C = NOW - 50_000;
  const W = NOW - 20_000;
  const at = (startMs: number, endMs: number, id: string, rejected = false) =>
    row(HASHES[Math.floor(rnd() * 3)], id, startMs - T0, endMs - startMs, rejected);
  const older = Array.from({ length: 10 }, (_, i) => {
    const start = C - 60_000 + i * 5_900;
    return at(start, start + Math.floor(rnd() * Math.min(25_000, W - 1 - start)), `old-${i}`);
  });
  const before = Array.from({ length: 20 }, (_, i) => {
    const start = C + i * 1_200; // up to now - 27.2 s
    return at(start, start + Math.floor(rnd() * (W - 1 - start)), `before-${i}`);
  });
  const since = Array.from({ length: 200 }, (_, i) => {
    const start = W - 25_000 + Math.round((i * 43_000) / 199); // now - 45 s .. now - 2 s
    if (start >= W && rnd() < 0.1) return at(start, start, `since-${i}`, true);
    const lo = Math.max(start, W);
    return at(start, lo + Math.floor(rnd() * (Math.min(NOW, start + 30_000) - lo)), `since-${i}`);
  });
  return {
    kind: "live",
    cursor: { completeBeforeMs: C, endWatermarkMs: W },
    stored: [...older, ...before],
    rows: [...older, ...before, ...since],
    window: { fromMs: C, toMs: NOW + TIMING.clockSkewMs, order: "endDesc" },
    after: { completeBeforeMs: NOW - 34_000, endWatermarkMs: NOW - 4_000 },
    failAfterPage: 3,
  };
}

async function openStoreFor(dialect: Dialect): Promise<TestStore> {
  const t = await createTestStore(dialect);
  cleanups.push(() => t.close());
  return t;
}

describe.each(DIALECTS)("ingest crash mid-window (%s store)", (dialect) => {
  it.each([["catch-up", catchUp], ["live", live]] as const)("%s: a source failing after page k, then a clean re-run: no gap, no duplicate", async (_name, make) => {
    const sc = make();
    const t = await openStoreFor(dialect);
    const s = t.store;
    const reader = await openRequestTableReader(t.url);
    cleanups.push(() => reader.close());
    const series = new SeriesMaintainer(s.series, TIMING.maxRequestMs);
    const fromSec = Math.floor(Math.min(...sc.rows.map((r) => r.startMs)) / 1000) - 120;
    const toSec = Math.ceil(Math.max(...sc.rows.map((r) => r.endMs)) / 1000) + 120;
    // Sanity of the data: every request within the longest request, so the series can be exact.
    expect(Math.max(...sc.rows.map((r) => r.endMs - r.startMs))).toBeLessThanOrEqual(TIMING.maxRequestMs);
    if (sc.cursor || sc.stored.length) await s.ingest.commit("spend-logs", sc.stored, sc.cursor);
    await series.drain();

    // 1. The step fails after page k: those pages are stored, the cursor has not moved.
    const failing = new PagedSource(sc.rows, sc.failAfterPage);
    await expect(new SpendLogIngest(failing, s.ingest, TIMING, quiet, () => NOW).step()).rejects.toThrow(`failed after page ${sc.failAfterPage}`);
    expect(failing.asked).toEqual([sc.window]);
    expect(failing.served).toHaveLength(sc.failAfterPage);
    expect(await reader.cursor()).toEqual(sc.cursor);
    const partial = [...sc.stored, ...failing.served.flat()];
    expect(failing.served.flat().length).toBeGreaterThan(0);
    expect(await reader.rows()).toEqual(keysOf(partial));
    // What the runner's series maintenance makes of it meanwhile: the sweep of what is stored.
    await series.drain();
    expect(await storedSeries(s, fromSec, toSec)).toEqual(sweptSeries(partial, fromSec, toSec));

    // 2. A fresh ingest (a restarted process) reads the same window again, over a source that does not fail.
    const source = new PagedSource(sc.rows);
    const report = await new SpendLogIngest(source, s.ingest, TIMING, quiet, () => NOW).step();
    expect(report.kind).toBe(sc.kind);
    expect(source.asked).toEqual([sc.window]);
    expect(source.served.length).toBeGreaterThan(sc.failAfterPage + 1); // the window has pages past the failure
    expect(report.inserted).toBe(sc.rows.length - partial.length); // the re-read pages inserted nothing
    expect(await reader.cursor()).toEqual(sc.after);

    // Every request exactly once: the rows (a request stored twice would be listed twice), one row per request id.
    const stored = await reader.rows();
    expect(stored).toEqual(keysOf(sc.rows));
    expect(new Set(stored.map((r) => r.requestId)).size).toBe(sc.rows.length);
    // The /metrics counters counted each request once.
    for (const hash of HASHES) {
      const k = (await s.catalog.keyByHash(hash))!;
      const mine = sc.rows.filter((r) => r.keyHash === hash);
      expect((await s.metrics.counters([k.id])).get(k.id)).toMatchObject({
        admitted: mine.filter((r) => !r.rejected).length,
        rejected: mine.filter((r) => r.rejected).length,
      });
    }
    // And no second is counted twice: once maintenance has drained, the series is the sweep of the source's requests.
    await series.drain();
    expect(await s.series.dirtyMarks(10)).toEqual([]);
    const swept = sweptSeries(sc.rows, fromSec, toSec);
    expect(Math.max(...swept.map((x) => x[2]))).toBeGreaterThan(1); // requests overlap: a double count would show
    expect(await storedSeries(s, fromSec, toSec)).toEqual(swept);
  });
});
