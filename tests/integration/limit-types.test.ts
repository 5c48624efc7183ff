// 429s by limit type end to end: the simulator (a real process over HTTP, era-C limiter) answers a
// key with max_parallel_requests 2 and rpm_limit 5 with 429s of both limits, and Inflight's real
// ingest pipeline (observePipeline) reads its spend logs. Every rpm 429 is stored as `rpm` and
// counted apart; only the max_parallel_requests 429s are concurrency rejections. On each store.
import { afterEach, describe, expect, it } from "vitest";
import { chat, newKey, type Resp } from "../../simulator/test/helpers";
import { openPipeline } from "../support/inflight";
import { storedLimitTypes } from "../support/limit-types";
import { counts } from "../support/rows";
import { startSimulator } from "../support/simulator";
import { createTestDatabase, DIALECTS } from "../support/store";

const timing = { maxRequestMs: 30_000, flushLagMs: 3_000, clockSkewMs: 500, backfillMs: 120_000 };
const MOCK = { mock_response: "ok" };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A response's limit as the client saw it: its 429 text's limit type (the simulator's v3 text), or "ok". */
function outcome(r: Resp): string {
  if (r.status === 200) return "ok";
  expect(r.status, r.text).toBe(429);
  const type = /Limit type: (\w+)\./.exec(r.json.error.message)?.[1];
  return { requests: "rpm", max_parallel_requests: "max_parallel_requests" }[type ?? ""] ?? `unexpected: ${r.json.error.message}`;
}

describe.each(DIALECTS)("429s by limit type from the simulator, through the ingest pipeline (%s store)", (dialect) => {
  it("stores rpm 429s as rpm, never as concurrency rejections", async () => {
    // A 60 s rate-limit window: the rpm budget is not renewed during the test.
    const sim = await startSimulator(["--limiter", "gauge", "--window", "60", "--flush-interval", "1"]);
    cleanups.push(() => sim.stop());
    const db = await createTestDatabase(dialect);
    cleanups.push(() => db.remove());
    const key = await newKey(sim, { key_alias: "throttled", max_parallel_requests: 2, rpm_limit: 5, metadata: { allow_client_mock_response: true } });

    // Three at once against a limit of 2 (the rpm budget of 5 admits all three): one
    // max_parallel_requests 429. Then, one at a time, past the 5 requests of the window: rpm 429s.
    const seen: { callId: string; outcome: string }[] = [];
    const record = (r: Resp) => seen.push({ callId: String(r.headers["x-litellm-call-id"]), outcome: outcome(r) });
    for (const r of await Promise.all([0, 1, 2].map(() => chat(sim, key.key, { ...MOCK, mock_delay: 1.5 })))) record(r);
    for (let i = 0; i < 4; i++) record(await chat(sim, key.key, MOCK));
    const tally = (o: string) => seen.filter((x) => x.outcome === o).length;
    expect({ ok: tally("ok"), mpr: tally("max_parallel_requests"), rpm: tally("rpm") }).toEqual({ ok: 4, mpr: 1, rpm: 2 });

    // The real pipeline, polling live until every request is stored.
    const pipeline = await openPipeline(db.url, sim.url, sim.masterKey, timing);
    cleanups.push(() => pipeline.close());
    let stored = await storedLimitTypes(db.url, key.hash);
    for (const until = Date.now() + 30_000; Object.keys(stored).length < seen.length && Date.now() < until; ) {
      await pipeline.step();
      stored = await storedLimitTypes(db.url, key.hash);
      if (Object.keys(stored).length < seen.length) await new Promise((r) => setTimeout(r, 500));
    }

    // Each 429 under its call id (the spend row's request id), with the limit the client was told.
    for (const x of seen.filter((y) => y.outcome !== "ok")) {
      expect(stored[x.callId], `429 ${x.callId}`).toEqual({ rejected: x.outcome === "max_parallel_requests", limitType: x.outcome });
    }
    const byType: Record<string, number> = {};
    for (const r of Object.values(stored)) byType[String(r.limitType)] = (byType[String(r.limitType)] ?? 0) + 1;
    expect(byType).toEqual({ null: 4, max_parallel_requests: 1, rpm: 2 });

    // The series and the /metrics counters: the rpm 429s counted apart, not as rejections, and never in flight.
    const k = (await pipeline.store.catalog.keyByHash(key.hash))!;
    const [t] = await pipeline.store.series.totals([k.id], "1s", [[0, Number.MAX_SAFE_INTEGER]]);
    expect({ ...counts(t.admitted, t.rejected, [t.rejectedRpm, t.rejectedTpm, t.rejectedOther]) }).toEqual(counts(4, 1, [2, 0, 0]));
    expect(t.maxInFlight).toBe(2);
    expect((await pipeline.store.metrics.counters([k.id])).get(k.id)).toEqual({ ...counts(4, 1, [2, 0, 0]), violationSeconds: 0 });
  });
});
