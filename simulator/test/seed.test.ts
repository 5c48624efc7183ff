import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { chat, request, waitFor, ymdHms } from "./helpers";

function ui(sim: TestSimulator, params: Record<string, string | number>) {
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  return request(sim, "GET", `/spend/logs/ui?${q}`);
}

describe("--seed-spend-logs", () => {
  let sim: TestSimulator;
  // What /sim/state said before any test ran: the live rows a test adds must not change what another reads.
  let atStart: { stored_spend_logs: number };
  const N = 300_000;
  beforeAll(async () => {
    sim = await startSimulator(["--seed-spend-logs", String(N), "--flush-interval", "1"]);
    atStart = (await request(sim, "GET", "/sim/state", { key: null })).json;
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("loads N rows over the last 24 h across seed keys that /key/list knows", async () => {
    expect(atStart.stored_spend_logs).toBe(N);
    const keys = await request(sim, "GET", "/key/list?return_full_object=true&size=100");
    const seedKeys = keys.json.keys.filter((k: { key_alias: string }) => k.key_alias?.startsWith("seed-key-"));
    expect(seedKeys.length).toBe(8);
    const day = await ui(sim, { start_date: ymdHms(Date.now() - 86_400_000 - 60_000), end_date: ymdHms(Date.now()), page_size: 1 });
    expect(day.json).toMatchObject({ total: 10_000, total_is_capped: true, total_pages: 10_000 });
    const hashes = new Set(seedKeys.map((k: { token: string }) => k.token));
    expect(hashes.has(day.json.data[0].api_key)).toBe(true);
    const older = await ui(sim, { start_date: ymdHms(Date.now() - 3 * 86_400_000), end_date: ymdHms(Date.now() - 86_400_000 - 60_000) });
    expect(older.json.total).toBe(0);
  });

  it("pages a time window in startTime order without gaps or duplicates, 429 rows included", async () => {
    const end = Math.floor((Date.now() - 3600_000) / 1000) * 1000; // the date format has whole seconds
    const params = { start_date: ymdHms(end - 300_000), end_date: ymdHms(end), page_size: 1000 };
    const first = await ui(sim, { ...params, page: 1 });
    // 5 minutes of a 24 h spread: about N * 5 / 1440 rows
    const expected = (N * 5) / 1440;
    expect(first.json.total).toBeGreaterThan(expected * 0.8);
    expect(first.json.total).toBeLessThan(expected * 1.2);
    expect(first.json.total_is_capped).toBe(false);
    const rows: { request_id: string; startTime: string; endTime: string; status: string; spend: number }[] = [];
    for (let p = 1; p <= first.json.total_pages; p++) rows.push(...(await ui(sim, { ...params, page: p })).json.data);
    expect(rows.length).toBe(first.json.total);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(rows.length);
    const t = rows.map((r) => Date.parse(r.startTime));
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeLessThanOrEqual(t[i - 1]);
    expect(Math.min(...t)).toBeGreaterThanOrEqual(end - 300_000);
    expect(Math.max(...t)).toBeLessThanOrEqual(end);
    const failures = rows.filter((r) => r.status === "failure");
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) {
      expect(f.startTime).toBe(f.endTime);
      expect(f.spend).toBe(0);
    }
    const filtered = await ui(sim, { ...params, status_filter: "failure", error_code: "429", page_size: 1000 });
    expect(filtered.json.total).toBe(failures.length);
  });

  it("merges live rows into the seeded order", async () => {
    const keys = await request(sim, "GET", "/key/list?return_full_object=true&size=100&key_alias=seed-key-1");
    // seed keys are real keys; generate a fresh one for traffic
    expect(keys.json.keys).toHaveLength(1);
    const gen = await request(sim, "POST", "/key/generate", { body: { metadata: { allow_client_mock_response: true } } });
    const r = await chat(sim, gen.json.key, { mock_response: "x" });
    expect(r.status).toBe(200);
    const page = await waitFor("live row first", async () => {
      const p = await ui(sim, { start_date: ymdHms(Date.now() - 120_000), end_date: ymdHms(Date.now() + 60_000), page_size: 5 });
      return p.json.data[0]?.request_id === r.json.id ? p.json : undefined;
    });
    expect(page.data[1].api_key).not.toBe(gen.json.token_id);
  });
});
