/** In-process checks of the spend-log store's paging against a naive sort-and-slice. */
import { describe, expect, it } from "vitest";
import { MODELS } from "../src/models";
import { SPEND_LOGS_PAGINATION_COUNT_CAP, SeedSource, SpendStore, type Filter, type LiveRow, type SortField } from "../src/spendlogs";

function liveRow(i: number, startMs: number, key: string, status: "success" | "failure", spend: number): LiveRow {
  return {
    request_id: `live-${i}`,
    litellm_call_id: `call-${i}`,
    call_type: "acompletion",
    api_key: key,
    spend,
    prompt_tokens: 1,
    completion_tokens: 2,
    startMs,
    endMs: startMs + (status === "failure" ? 0 : 500 + (i % 7) * 100),
    completionStartMs: status === "failure" ? null : startMs + 50,
    model: i % 3 === 0 ? "gpt-4o" : "gpt-4o-mini",
    model_id: "",
    model_group: "",
    custom_llm_provider: "",
    api_base: "",
    user: "",
    team_id: null,
    organization_id: null,
    status,
    keyAlias: null,
    keyUserId: null,
    errorCode: status === "failure" ? "429" : null,
    errorClass: status === "failure" ? "ProxyRateLimitError" : null,
    errorMessage: null,
    llmProvider: "",
    rateLimitHeaders: null,
    mock: false,
  };
}

/** Builds a store with seeded and live rows interleaved in time, with many equal timestamps. */
function build(nSeed: number, nLive: number) {
  const store = new SpendStore();
  const keys = [
    { hash: "a".repeat(64), alias: "ka", teamId: "t1", userId: null },
    { hash: "b".repeat(64), alias: "kb", teamId: "t2", userId: null },
  ];
  const from = 1_700_000_000_000;
  const to = from + 60_000;
  store.seed = new SeedSource(nSeed, keys, MODELS, "abcd1234", from, to, 42);
  const batch: LiveRow[] = [];
  for (let i = 0; i < nLive; i++) {
    // every live row ties with a seeded row (and pairs of live rows tie with each other)
    const t = nSeed > 0 ? store.seed.startMs[Math.floor(i / 2) * 7 % nSeed] : from + (i % 600) * 100;
    batch.push(liveRow(i, t, i % 2 ? keys[0].hash : "c".repeat(64), i % 9 === 0 ? "failure" : "success", (i % 5) * 0.001));
  }
  // insert in several out-of-order batches, like flushes of requests that end out of order
  for (let b = 0; b < 4; b++) store.insert(batch.filter((_, i) => i % 4 === b));
  return { store, from, to };
}

describe("SpendStore paging", () => {
  const { store, from, to } = build(3000, 800);
  const everything = (filter: Filter) =>
    store.page({ startMs: from, endMs: to, filter, sortBy: "startTime", order: "desc", page: 1, pageSize: 100000 }).data;

  it("keeps live rows sorted by startTime after out-of-order inserts", () => {
    const rows = store.live.rows;
    for (let i = 1; i < rows.length; i++) expect(rows[i].startMs).toBeGreaterThanOrEqual(rows[i - 1].startMs);
    expect(rows).toHaveLength(800);
  });

  it("jumps to any page without a filter exactly as a full merged scan would", () => {
    // min_spend=0 matches every row but forces the filtered (scanning) path: both must agree row for row.
    const ids = (rows: Record<string, unknown>[]) => rows.map((r) => r.request_id);
    for (const order of ["desc", "asc"] as const) {
      for (const pageSize of [1, 7, 100, 1000]) {
        for (const page of [1, 2, 3, 17, 38, 101, 102, 103, 555, 556, 557, 1001]) {
          const q = { startMs: from + 5_000, endMs: to - 5_000, sortBy: "startTime" as SortField, order, page, pageSize };
          const fast = store.page({ ...q, filter: {} });
          const slow = store.page({ ...q, filter: { min_spend: 0 } });
          expect(ids(fast.data)).toEqual(ids(slow.data));
          expect(fast.total).toBe(slow.total);
        }
      }
    }
  });

  it("returns every row in the window exactly once, ordered by startTime", () => {
    const rows = everything({});
    expect(rows.length).toBe(3800);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(3800);
    const t = rows.map((r) => Date.parse(r.startTime as string));
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeLessThanOrEqual(t[i - 1]);
  });

  it("applies filters and inclusive date bounds like a naive filter over all rows", () => {
    const all = everything({});
    const hash = "a".repeat(64);
    const naive = all.filter((r) => r.api_key === hash && r.status === "failure");
    const got = everything({ api_key: hash, status: "failure" });
    expect(got.map((r) => r.request_id)).toEqual(naive.map((r) => r.request_id));
    expect(got.length).toBeGreaterThan(10);
    const t0 = Date.parse(all[100].startTime as string);
    const exact = store.page({ startMs: t0, endMs: t0, filter: {}, sortBy: "startTime", order: "desc", page: 1, pageSize: 1000 });
    expect(exact.data.length).toBe(all.filter((r) => Date.parse(r.startTime as string) === t0).length);
    expect(exact.data.length).toBeGreaterThan(0);
  });

  it("sorts by other fields with Postgres NULL placement", () => {
    const desc = store.page({ startMs: from, endMs: to, filter: {}, sortBy: "ttft_ms", order: "desc", page: 1, pageSize: 100000 }).data;
    const firstNonNull = desc.findIndex((r) => r.completionStartTime !== null);
    expect(firstNonNull).toBeGreaterThan(0); // NULLS FIRST for DESC
    expect(desc.slice(firstNonNull).every((r) => r.completionStartTime !== null)).toBe(true);
    const spend = store.page({ startMs: from, endMs: to, filter: {}, sortBy: "spend", order: "asc", page: 1, pageSize: 100000 }).data.map(
      (r) => r.spend as number,
    );
    expect([...spend].sort((a, b) => a - b)).toEqual(spend);
  });

  it("caps total at 10,000 and says so", () => {
    const big = build(25_000, 0);
    const r = big.store.page({ startMs: big.from, endMs: big.to, filter: {}, sortBy: "startTime", order: "desc", page: 20, pageSize: 1000 });
    expect(r.total).toBe(SPEND_LOGS_PAGINATION_COUNT_CAP);
    expect(r.capped).toBe(true);
    expect(r.data).toHaveLength(1000); // pages past the cap still answer
    const f = big.store.page({ startMs: big.from, endMs: big.to, filter: { min_spend: 0 }, sortBy: "startTime", order: "desc", page: 20, pageSize: 1000 });
    expect(f.total).toBe(SPEND_LOGS_PAGINATION_COUNT_CAP);
    expect(f.capped).toBe(true);
    expect(f.data.map((x) => x.request_id)).toEqual(r.data.map((x) => x.request_id));
    const small = big.store.page({ startMs: big.from, endMs: big.from + 1000, filter: {}, sortBy: "startTime", order: "desc", page: 1, pageSize: 10 });
    expect(small.capped).toBe(false);
    expect(small.total).toBeLessThan(1000);
  });
});
