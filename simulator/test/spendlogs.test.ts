import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { chat, newKey, request, sleep, upstream, waitFor, ymdHms } from "./helpers";

const MOCK = { metadata: { allow_client_mock_response: true } };
const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

function ui(sim: TestSimulator, params: Record<string, string | number>, route = "/spend/logs/ui") {
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  return request(sim, "GET", `${route}?${q}`);
}

const windowAround = (ms = 3600_000) => ({ start_date: ymdHms(Date.now() - ms), end_date: ymdHms(Date.now() + ms) });

describe("spend logs: batching, 429 rows, /spend/logs/ui and /v2, /spend/logs", () => {
  // --flush-interval 3600: no interval flush during the run, so a row that shows was flushed early (100 queued)
  // or on demand, however slow the machine.
  let slow: TestSimulator;
  let fast: TestSimulator; // --flush-interval 1

  beforeAll(async () => {
    [slow, fast] = await Promise.all([
      startSimulator(["--limiter", "gauge", "--flush-interval", "3600"]),
      startSimulator(["--limiter", "gauge", "--flush-interval", "1"]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([slow?.stop(), fast?.stop()]);
  });

  it("makes rows visible only after a flush, and flushes early once 100 rows are queued", async () => {
    const { key, hash } = await newKey(slow, MOCK);
    expect((await chat(slow, key, { mock_response: "x" })).status).toBe(200);
    // The scenario, not a wait for something: time passes (> the 2 s queue poll) and nothing flushes.
    await sleep(2500);
    expect((await ui(slow, { ...windowAround(), api_key: hash })).json.total).toBe(0);
    expect((await request(slow, "GET", "/sim/state", { key: null })).json.queued_spend_logs).toBe(1);
    expect((await request(slow, "POST", "/sim/spend-logs/flush", { key: null })).json.flushed).toBe(1);
    expect((await ui(slow, { ...windowAround(), api_key: hash })).json.total).toBe(1);

    await Promise.all(Array.from({ length: 120 }, () => chat(slow, key, { mock_response: "x" })));
    // The interval flush is an hour away: these rows can only show through the early flush.
    await waitFor("early flush", async () => ((await ui(slow, { ...windowAround(), api_key: hash })).json.total === 121 ? true : undefined), 30_000);
  });

  it("flushes on its interval and writes success rows with the real columns and types", async () => {
    const { key, hash } = await newKey(fast, { key_alias: "cols", team_id: "t1", max_parallel_requests: 3, ...MOCK });
    const r = await chat(fast, key, { mock_response: "hi", mock_delay: 0.2 });
    expect(r.status).toBe(200);
    const page = await waitFor("row", async () => {
      const p = await ui(fast, { ...windowAround(), api_key: hash });
      return p.json.total === 1 ? p.json : undefined;
    });
    const row = page.data[0];
    expect(row.request_id).toBe(r.json.id);
    expect(row).toMatchObject({
      call_type: "acompletion",
      api_key: hash,
      spend: 0,
      total_tokens: 30,
      prompt_tokens: 10,
      completion_tokens: 20,
      model: "gpt-4o-mini",
      model_group: "gpt-4o-mini",
      team_id: "t1",
      status: "success",
      litellm_call_id: r.headers["x-litellm-call-id"],
    });
    expect(row.startTime).toMatch(TS);
    expect(row.endTime).toMatch(TS);
    expect(row.completionStartTime).toMatch(TS);
    expect(row.request_duration_ms).toBe(Date.parse(row.endTime) - Date.parse(row.startTime));
    expect(row.request_duration_ms).toBeGreaterThanOrEqual(195);
    expect(row.metadata).toMatchObject({ user_api_key: hash, user_api_key_alias: "cols", user_api_key_team_id: "t1", status: "success" });
    expect(row).not.toHaveProperty("messages");
  });

  it("takes the call id a client names (x-litellm-call-id): in the response headers and the row", async () => {
    const { key, hash } = await newKey(fast, MOCK);
    const r = await request(fast, "POST", "/v1/chat/completions", {
      key,
      headers: { "x-litellm-call-id": "burst-abc-0" },
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "hello" }], mock_response: "x" },
    });
    expect(r.status).toBe(200);
    expect(r.headers["x-litellm-call-id"]).toBe("burst-abc-0");
    const page = await waitFor("row", async () => {
      const p = await ui(fast, { ...windowAround(), api_key: hash });
      return p.json.total === 1 ? p.json : undefined;
    });
    expect(page.data[0].litellm_call_id).toBe("burst-abc-0");
  });

  it("writes a failure row for every 429: startTime == endTime, spend 0, error_information", async () => {
    const { key, hash } = await newKey(fast, { max_parallel_requests: 1, ...MOCK });
    const hold = chat(fast, key, { mock_response: "x", mock_delay: 1 });
    await waitFor("the first request admitted", async () => ((await upstream(fast, hash)).current === 1 ? true : undefined));
    const rejected = await chat(fast, key, { mock_response: "x" });
    expect(rejected.status).toBe(429);
    await hold;
    const page = await waitFor("429 row", async () => {
      const p = await ui(fast, { ...windowAround(), api_key: hash, status_filter: "failure", error_code: "429" });
      return p.json.total === 1 ? p.json : undefined;
    });
    const row = page.data[0];
    expect(row.status).toBe("failure");
    expect(row.spend).toBe(0);
    expect(row.startTime).toBe(row.endTime);
    expect(row.request_duration_ms).toBe(0);
    expect(row.request_id).toBe(rejected.headers["x-litellm-call-id"]);
    expect(row.metadata.status).toBe("failure");
    expect(row.metadata.error_information).toMatchObject({
      error_code: "429",
      error_class: "ProxyRateLimitError",
      error_message: `429: ${rejected.json.error.message}`,
    });
    // hold's success row may come in the flush after the 429 row's
    await waitFor("success row", async () => {
      const ok = await ui(fast, { ...windowAround(), api_key: hash, status_filter: "success" });
      return ok.json.total === 1 ? true : undefined;
    });
  });

  it("validates /spend/logs/ui like LiteLLM: required dates (400), formats, page_size 1..1000 (422), sort_by whitelist (400)", async () => {
    const noDates = await request(fast, "GET", "/spend/logs/ui");
    expect(noDates.status).toBe(400);
    expect(noDates.json).toEqual({ error: { message: "Start date and end date are required", type: "bad_request", param: "None", code: "400" } });
    expect((await ui(fast, { start_date: "2026-01-01 00:00:00" })).status).toBe(400);
    expect((await ui(fast, { ...windowAround(), page_size: 1001 })).status).toBe(422);
    expect((await ui(fast, { ...windowAround(), page_size: 0 })).status).toBe(422);
    expect((await ui(fast, { ...windowAround(), page: 0 })).status).toBe(422);
    const big = await ui(fast, { ...windowAround(), page_size: 1000 });
    expect(big.status).toBe(200);
    expect(big.json.page_size).toBe(1000);
    const badSort = await ui(fast, { ...windowAround(), sort_by: "api_key" });
    expect(badSort.status).toBe(400);
    expect(badSort.json.error.code).toBe("400");
    // the UI route takes only "%Y-%m-%d %H:%M:%S"; v2 also takes "%Y-%m-%d"
    const day = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
    expect((await ui(fast, { start_date: day, end_date: tomorrow })).status).toBe(500);
    const v2 = await ui(fast, { start_date: day, end_date: tomorrow }, "/spend/logs/v2");
    expect(v2.status).toBe(200);
    expect(Object.keys(v2.json).sort()).toEqual(["data", "page", "page_size", "total", "total_is_capped", "total_pages"]);
  });

  it("pages by startTime desc (default) or asc, with filters, envelope and no overlap between pages", async () => {
    const { key, hash } = await newKey(fast, MOCK);
    for (let i = 0; i < 25; i++) {
      await chat(fast, key, { mock_response: "x", model: i % 5 === 0 ? "gpt-4o" : "gpt-4o-mini" });
      await sleep(3); // the scenario: distinct start times, so desc and asc orders are each other's reverse
    }
    await waitFor("25 rows", async () => ((await ui(fast, { ...windowAround(), api_key: hash })).json.total === 25 ? true : undefined));
    const seen: string[] = [];
    for (const [page, n] of [
      [1, 10],
      [2, 10],
      [3, 5],
      [4, 0],
    ]) {
      const p = await ui(fast, { ...windowAround(), api_key: hash, page, page_size: 10 });
      expect(p.json).toMatchObject({ total: 25, page, page_size: 10, total_pages: 3, total_is_capped: false });
      expect(p.json.data).toHaveLength(n);
      seen.push(...p.json.data.map((r: { request_id: string }) => r.request_id));
    }
    expect(new Set(seen).size).toBe(25);
    const all = (await ui(fast, { ...windowAround(), api_key: hash, page_size: 100 })).json.data as { startTime: string; request_id: string }[];
    expect(all.map((r) => r.request_id)).toEqual(seen);
    const times = all.map((r) => Date.parse(r.startTime));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const asc = (await ui(fast, { ...windowAround(), api_key: hash, page_size: 100, sort_order: "asc" })).json.data as { request_id: string }[];
    expect(asc.map((r) => r.request_id)).toEqual([...seen].reverse());
    const model = await ui(fast, { ...windowAround(), api_key: hash, model: "gpt-4o" });
    expect(model.json.total).toBe(5);
    const byModelSort = await ui(fast, { ...windowAround(), api_key: hash, sort_by: "model", sort_order: "asc", page_size: 100 });
    expect(byModelSort.json.data.slice(0, 5).every((r: { model: string }) => r.model === "gpt-4o")).toBe(true);
    // a narrow window sees nothing
    const past = await ui(fast, { start_date: "2020-01-01 00:00:00", end_date: "2020-01-01 00:01:00", api_key: hash });
    expect(past.json).toMatchObject({ data: [], total: 0, total_pages: 0 });
  });

  it("serves /spend/logs without dates (api_key hashed), with dates and summarize", async () => {
    const { key, hash } = await newKey(fast, MOCK);
    const a = await chat(fast, key, { mock_response: "x" });
    await chat(fast, key, { mock_response: "x" });
    await waitFor("2 rows", async () => ((await ui(fast, { ...windowAround(), api_key: hash })).json.total === 2 ? true : undefined));
    const byKey = await request(fast, "GET", `/spend/logs?api_key=${key}`);
    expect(byKey.status).toBe(200);
    expect(byKey.json).toHaveLength(2);
    expect(byKey.json[0]).toHaveProperty("messages");
    expect(byKey.json.every((r: { api_key: string }) => r.api_key === hash)).toBe(true);
    const byId = await request(fast, "GET", `/spend/logs?request_id=${a.json.id}`);
    expect(byId.json.map((r: { request_id: string }) => r.request_id)).toEqual([a.json.id]);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
    const rows = await request(fast, "GET", `/spend/logs?start_date=${today}&end_date=${tomorrow}&summarize=false&api_key=${hash}`);
    expect(rows.json).toHaveLength(2);
    const summary = await request(fast, "GET", `/spend/logs?start_date=${today}&end_date=${tomorrow}`);
    expect(summary.json[0]).toMatchObject({ startTime: today, models: expect.any(Object), users: expect.any(Object) });
    expect(summary.json[0][hash]).toBe(0);
    expect(summary.json[summary.json.length - 1]).toEqual({ startTime: tomorrow, spend: 0, users: {}, models: {} });
    const empty = await request(fast, "GET", `/spend/logs?start_date=2020-01-01&end_date=2020-01-02`);
    expect(empty.json).toEqual([]);
  });
});
