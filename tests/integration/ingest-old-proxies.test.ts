// Ingest against proxies the simulator does not imitate: older versions (no /spend/logs/ui, pages
// capped at 100, no sort_by) and bad rows. The proxy here is a local HTTP stand-in for a real
// LiteLLM, the one thing that cannot run on this machine.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ProxySpendLogSource } from "../../lib/ingest/source";
import { LiteLLMClient } from "../../lib/litellm/client";
import type { VirtualKey } from "../../lib/litellm/schemas";
import { observePipeline } from "../../lib/server/pipeline";
import { storedRequests } from "../support/inflight";
import { createTestStore } from "../support/store";

type Row = Record<string, unknown>;
const KEY = "b".repeat(64);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const fromProxyDate = (s: string) => Date.parse(s.replace(" ", "T") + (s.length === 10 ? "T00:00:00Z" : "Z"));

/** A stand-in proxy: `routes` says which list routes exist; pages are capped; sort_by is honoured only if `sorts`. */
async function fakeProxy(rows: Row[], opts: { routes: string[]; maxPage: number; sorts: boolean }) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, "http://x");
    seen.push(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (!opts.routes.includes(url.pathname)) return send(404, { detail: "Not Found" });
    const q = url.searchParams;
    const from = fromProxyDate(q.get("start_date")!);
    let to = fromProxyDate(q.get("end_date")!);
    if (url.pathname === "/spend/logs") to += 86_400_000; // whole days
    let match = rows.filter((r) => {
      const s = Date.parse(String(r.startTime));
      return Number.isNaN(s) || (s >= from && s <= to);
    });
    const byStart = (r: Row) => Date.parse(String(r.startTime)) || 0;
    const byEnd = (r: Row) => Date.parse(String(r.endTime)) || 0;
    const key = opts.sorts && q.get("sort_by") === "endTime" ? byEnd : byStart;
    const asc = opts.sorts && q.get("sort_order") === "asc";
    match = [...match].sort((a, b) => (asc ? key(a) - key(b) : key(b) - key(a)));
    if (url.pathname === "/spend/logs") return send(200, match);
    const size = Number(q.get("page_size"));
    if (size > opts.maxPage) return send(422, { detail: [{ msg: `Input should be less than or equal to ${opts.maxPage}` }] });
    const page = Number(q.get("page"));
    return send(200, { data: match.slice((page - 1) * size, page * size), total: match.length, page, page_size: size, total_pages: Math.ceil(match.length / size) });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r())); // a port of its own choosing: none to lose
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function rowsEndedMinutesAgo(n: number, now: number): Row[] {
  return Array.from({ length: n }, (_, i) => {
    const start = now - 20 * 60_000 + i * 1_000;
    return { request_id: `req-${i}`, api_key: KEY, startTime: iso(start), endTime: iso(start + 2_500), status: "success", model: "m", metadata: {} };
  });
}

async function ingestAll(proxyUrl: string) {
  const { store, close } = await createTestStore("sqlite");
  cleanups.push(close);
  // The catalog knows KEY, as a sync of /key/list would have recorded it.
  const listed = { token: KEY, key_alias: null, team_id: null, max_parallel_requests: null, rpm_limit: null, tpm_limit: null, blocked: false } as VirtualKey;
  await store.catalog.apply({ upserts: [listed], limitChanges: [], removed: [] }, Date.now());
  const client = new LiteLLMClient({ baseUrl: proxyUrl, apiKey: "sk-test" });
  const source = new ProxySpendLogSource(client);
  const warnings: string[] = [];
  const pipeline = observePipeline({
    store,
    client,
    source,
    timing: { maxRequestMs: 60_000, flushLagMs: 5_000, clockSkewMs: 1_000, backfillMs: 3_600_000 },
    log: { warn: (m) => warnings.push(m) },
  });
  const reports = [];
  let r;
  do reports.push((r = await pipeline.step()));
  while (r.behind);
  reports.push(await pipeline.step()); // one live poll
  return { reports, count: await storedRequests(store), source, store, warnings };
}

describe("ingest from older or misbehaving proxies", () => {
  it("counts and logs malformed rows, stores rows of unknown keys under a placeholder, and never stops", async () => {
    const now = Date.now();
    const good = rowsEndedMinutesAgo(50, now);
    const unknownKey = "c".repeat(64);
    const bad: Row[] = [
      { ...good[0], request_id: "no-start", startTime: null },
      { ...good[0], request_id: "no-end", endTime: undefined },
      { ...good[0], request_id: "backwards", endTime: iso(now - 25 * 60_000) },
      { ...good[0], request_id: "", startTime: good[1].startTime },
      { ...good[0], request_id: "nokey", api_key: "" },
      { ...good[2], request_id: "stranger", api_key: unknownKey },
    ];
    const proxy = await fakeProxy([...good, ...bad], { routes: ["/spend/logs/ui"], maxPage: 1000, sorts: true });
    const { reports, count, store, warnings } = await ingestAll(proxy.url);
    const problems: Record<string, number> = {};
    for (const r of reports) for (const [k, v] of Object.entries(r.problems)) problems[k] = (problems[k] ?? 0) + (v ?? 0);
    expect(problems).toMatchObject({ bad_end_time: 1, end_before_start: 1, missing_request_id: 1, missing_key: 1 });
    expect(count).toBe(51); // the good rows and the stranger's
    expect(reports.flatMap((r) => r.newUnknownKeys)).toEqual([unknownKey]);
    expect((await store.catalog.keyByHash(unknownKey))?.inCatalog).toBe(false);
    expect(warnings.some((w) => w.includes("end_before_start") && w.includes("backwards"))).toBe(true);
  });

  it("falls back to /spend/logs/v2, pages of 100 and full-window reads when the proxy lacks the newer API", async () => {
    const now = Date.now();
    const rows = rowsEndedMinutesAgo(450, now);
    const proxy = await fakeProxy(rows, { routes: ["/spend/logs/v2"], maxPage: 100, sorts: false });
    const { count, source } = await ingestAll(proxy.url);
    expect(count).toBe(450);
    expect(source.describe()).toMatchObject({ route: "/spend/logs/v2", pageSize: 100 });
    expect(proxy.seen).toContain("/spend/logs/ui");
  });

  it("falls back to the unpaged /spend/logs of the oldest proxies", async () => {
    const now = Date.now();
    const proxy = await fakeProxy(rowsEndedMinutesAgo(120, now), { routes: ["/spend/logs"], maxPage: 0, sorts: false });
    const { count, source } = await ingestAll(proxy.url);
    expect(count).toBe(120);
    expect(source.describe()).toMatchObject({ route: "/spend/logs", endTimeSort: false });
  });

  it("reads a live window whole when the proxy ignores sort_by=endTime", async () => {
    const now = Date.now();
    // Recent rows whose end order differs from their start order: a long one started first.
    const rows: Row[] = [
      { request_id: "long", api_key: KEY, startTime: iso(now - 50_000), endTime: iso(now - 9_000), status: "success", model: "m" },
      ...Array.from({ length: 30 }, (_, i) => ({
        request_id: `short-${i}`,
        api_key: KEY,
        startTime: iso(now - 45_000 + i * 1000),
        endTime: iso(now - 44_000 + i * 1000),
        status: "success",
        model: "m",
      })),
    ];
    const proxy = await fakeProxy(rows, { routes: ["/spend/logs/ui"], maxPage: 1000, sorts: false });
    const { count, source } = await ingestAll(proxy.url);
    expect(count).toBe(31);
    expect(source.describe().endTimeSort).toBe(false);
  });
});
