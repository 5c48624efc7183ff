import http from "node:http";
import os from "node:os";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../lib/traffic/prng";
import { startRedis, type TestRedis } from "../../tests/support/redis";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { parseArgs } from "../src/config";
import { chat, messages, newKey, request, sleep, upstream, waitFor } from "./helpers";

// docs/tracker-layout.md, written out again: the test holds the simulator to the document, not to its own constants.
const P = "inflight:tracker:v1:";
const OPEN = (hash: string) => `${P}open:{${hash}}`;
const REJECTED = (hash: string) => `${P}rejected:{${hash}}`;
const KEYS = `${P}keys`;
const EVENTS = `${P}events`;
const WORKERS = `${P}workers`;
/** 2 × INFLIGHT_TRACKER_MAX_AGE_S's default 1800 s. */
const OPEN_TTL_MS = 3_600_000;

const MOCK = { metadata: { allow_client_mock_response: true } };
const WORKER_ID = new RegExp(`^${os.hostname().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+):(\\d+)$`);
const MS = /^\d{13}$/;

/** The stream's entries about one key, as written: the flat field list of each. */
async function events(rc: Redis, hash: string): Promise<string[][]> {
  const all = (await rc.xrange(EVENTS, "-", "+")) as [string, string[]][];
  return all.map(([, f]) => f).filter((f) => f[3] === hash);
}

/** A field of one entry's flat list of names and values, undefined when the entry has none. */
function field(f: string[], name: string): string | undefined {
  for (let i = 0; i < f.length; i += 2) if (f[i] === name) return f[i + 1];
  return undefined;
}

/** GET /sim/tracker?hash=…: the simulator's writes, and the key's open set beside its ground truth at one moment. */
async function tracker(sim: TestSimulator, hash?: string) {
  return (await request(sim, "GET", `/sim/tracker${hash ? `?hash=${hash}` : ""}`, { key: null })).json;
}

/** A streaming request the client drops as soon as its first chunk arrives; resolves with the call id. */
function dropAfterFirstChunk(sim: TestSimulator, key: string, body: Record<string, unknown>): Promise<string> {
  const text = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hello" }], stream: true, ...body });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${sim.url}/v1/chat/completions`,
      { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": Buffer.byteLength(text) } },
      (res) => {
        res.once("data", () => {
          req.destroy();
          resolve(String(res.headers["x-litellm-call-id"]));
        });
      },
    );
    req.on("error", (e) => (req.destroyed ? undefined : reject(e)));
    req.end(text);
  });
}

let redis: TestRedis;
let rc: Redis;
beforeAll(async () => {
  redis = await startRedis();
  rc = new Redis(redis.url);
});
afterAll(async () => {
  rc?.disconnect();
  await redis?.stop();
});

describe("--tracker: the layout of docs/tracker-layout.md at the callback's lifecycle points", () => {
  let sim: TestSimulator;
  let legacy: TestSimulator;

  beforeAll(async () => {
    // A real (non-mock) call takes 1.2 s and streams its first chunk at 300 ms: time to leave mid-stream.
    [sim, legacy] = await Promise.all([
      startSimulator(["--limiter", "gauge", "--redis-url", redis.url, "--tracker", "--workers", "2", "--latency", "1200-1200"]),
      startSimulator(["--limiter", "legacy", "--redis-url", redis.url, "--tracker"]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([sim?.stop(), legacy?.stop()]);
  });

  it("prints the tracker's Redis in the start line", () => {
    expect(sim.output()).toContain(` tracker=${redis.url}`);
  });

  it("non-streaming success: a start at admission, open while in flight, an ok end written before the answer", async () => {
    const { key, hash } = await newKey(sim, MOCK);
    const pending = chat(sim, key, { mock_response: "x", mock_delay: 0.8 });
    const [member, score] = await waitFor("the start", async () => {
      const m = await rc.zrange(OPEN(hash), "0", "-1", "WITHSCORES");
      return m.length > 0 ? m : undefined;
    });
    expect(await rc.type(OPEN(hash))).toBe("zset");
    const pttl = await rc.pttl(OPEN(hash));
    expect(pttl).toBeGreaterThan(OPEN_TTL_MS - 60_000);
    expect(pttl).toBeLessThanOrEqual(OPEN_TTL_MS);
    const r = await pending;
    expect(r.status).toBe(200);
    const callId = r.headers["x-litellm-call-id"] as string;
    expect(member).toBe(callId);

    // Read once the answer is in: the end was awaited before it.
    const [start, end, ...more] = await events(rc, hash);
    expect(more).toEqual([]);
    const w = field(start, "w");
    expect(start).toEqual(["e", "s", "k", hash, "c", callId, "t", score, "w", w]);
    expect(end).toEqual(["e", "e", "k", hash, "c", callId, "t", expect.stringMatching(MS), "o", "ok", "w", w]);
    expect(w).toMatch(WORKER_ID);
    expect(Number(field(end, "t")) - Number(score)).toBeGreaterThanOrEqual(750);
    expect(await rc.exists(OPEN(hash))).toBe(0); // its last member removed
    expect(await rc.zscore(KEYS, hash)).toBe(field(end, "t"));
    expect([await rc.type(KEYS), await rc.type(EVENTS), await rc.type(WORKERS)]).toEqual(["zset", "stream", "hash"]);
  });

  it("streaming success: the end is ok once the stream is exhausted, before [DONE]", async () => {
    const { key, hash } = await newKey(sim, MOCK);
    const r = await chat(sim, key, { mock_response: "streamed answer", stream: true });
    expect(r.status).toBe(200);
    expect(r.text.endsWith("data: [DONE]\n\n")).toBe(true);
    const callId = r.headers["x-litellm-call-id"];
    expect((await events(rc, hash)).map((f) => [field(f, "e"), field(f, "c"), field(f, "o")])).toEqual([
      ["s", callId, undefined],
      ["e", callId, "ok"],
    ]);
    expect(await rc.zcard(OPEN(hash))).toBe(0);
  });

  it("/v1/messages: a start and an ok end, like chat", async () => {
    const { key, hash } = await newKey(sim, MOCK);
    const r = await messages(sim, key, { mock_response: "x" });
    expect(r.status).toBe(200);
    const callId = r.headers["x-litellm-call-id"];
    expect((await events(rc, hash)).map((f) => [field(f, "e"), field(f, "c"), field(f, "o")])).toEqual([
      ["s", callId, undefined],
      ["e", callId, "ok"],
    ]);
  });

  it("a limiter 429 never starts: a rejection event and HINCRBY rejected:{hash} by its limit type", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 1, ...MOCK });
    const holding = chat(sim, key, { mock_response: "x", mock_delay: 1 });
    await waitFor("the first request open", async () => ((await rc.zcard(OPEN(hash))) === 1 ? true : undefined));
    const refused = await chat(sim, key, { mock_response: "x" });
    expect(refused.status).toBe(429);
    // Read once the 429 is in: the rejection was awaited before it.
    expect(await rc.type(REJECTED(hash))).toBe("hash");
    expect(await rc.hgetall(REJECTED(hash))).toEqual({ max_parallel_requests: "1" });
    const [start, rejection] = await events(rc, hash);
    expect(rejection).toEqual(["e", "r", "k", hash, "t", expect.stringMatching(MS), "y", "max_parallel_requests", "w", expect.stringMatching(WORKER_ID)]);
    expect(field(start, "e")).toBe("s");
    const holder = (await holding).headers["x-litellm-call-id"];
    expect(field(start, "c")).toBe(holder);
    const all = await events(rc, hash);
    expect(all.some((f) => field(f, "c") === refused.headers["x-litellm-call-id"])).toBe(false);
    expect(all.map((f) => field(f, "e"))).toEqual(["s", "r", "e"]);

    // rpm and tpm: the 429's rate_limit_type, requests → rpm, tokens → tpm.
    const rpm = await newKey(sim, { rpm_limit: 1, ...MOCK });
    expect((await chat(sim, rpm.key, { mock_response: "x" })).status).toBe(200);
    expect((await chat(sim, rpm.key, { mock_response: "x" })).status).toBe(429);
    expect(await rc.hgetall(REJECTED(rpm.hash))).toEqual({ rpm: "1" });
    const tpm = await newKey(sim, { tpm_limit: 1, ...MOCK });
    expect((await chat(sim, tpm.key, { mock_response: "x" })).status).toBe(200); // its 20 completion tokens go over
    expect((await chat(sim, tpm.key, { mock_response: "x" })).status).toBe(429);
    expect((await chat(sim, tpm.key, { mock_response: "x" })).status).toBe(429);
    expect(await rc.hgetall(REJECTED(tpm.hash))).toEqual({ tpm: "2" });
    expect((await events(rc, tpm.hash)).map((f) => [field(f, "e"), field(f, "y")])).toEqual([
      ["s", undefined],
      ["e", undefined],
      ["r", "tpm"],
      ["r", "tpm"],
    ]);
  });

  it("the v1 (legacy) limiter's 429 names no limit type: other", async () => {
    const { key, hash } = await newKey(legacy, { max_parallel_requests: 1, ...MOCK });
    const holding = chat(legacy, key, { mock_response: "x", mock_delay: 1 });
    await waitFor("the first request open", async () => ((await rc.zcard(OPEN(hash))) === 1 ? true : undefined));
    expect((await chat(legacy, key, { mock_response: "x" })).status).toBe(429);
    expect(await rc.hgetall(REJECTED(hash))).toEqual({ other: "1" });
    expect((await holding).status).toBe(200);
    expect((await events(rc, hash)).map((f) => [field(f, "e"), field(f, "y") ?? field(f, "o")])).toEqual([
      ["s", undefined],
      ["r", "other"],
      ["e", "ok"],
    ]);
  });

  it("an upstream error (a timeout) ends as error", async () => {
    const { key, hash } = await newKey(sim, MOCK);
    const r = await chat(sim, key, { mock_timeout: true, timeout: 0.2 });
    expect(r.status).toBe(408);
    expect((await events(rc, hash)).map((f) => [field(f, "e"), field(f, "o")])).toEqual([
      ["s", undefined],
      ["e", "error"],
    ]);
    expect(await rc.zcard(OPEN(hash))).toBe(0);
  });

  it("router retries (num_retries) start again with the same call id: ZADD NX keeps the first start, one end after the last attempt", async () => {
    const { key, hash } = await newKey(sim, MOCK);
    const pending = chat(sim, key, { mock_timeout: true, timeout: 0.6, num_retries: 2 });
    const firstTwo = await waitFor("the second attempt's start", async () => {
      const e = await events(rc, hash);
      return e.length >= 2 ? e.slice(0, 2) : undefined;
    });
    expect(firstTwo.map((f) => field(f, "e"))).toEqual(["s", "s"]);
    expect(field(firstTwo[1], "c")).toBe(field(firstTwo[0], "c"));
    // One member, scored by the first attempt's start.
    expect(await rc.zrange(OPEN(hash), "0", "-1", "WITHSCORES")).toEqual([field(firstTwo[0], "c"), field(firstTwo[0], "t")]);
    const r = await pending;
    expect(r.status).toBe(408);
    const all = await events(rc, hash);
    expect(all.map((f) => [field(f, "e"), field(f, "c"), field(f, "o")])).toEqual([
      ...Array(3).fill(["s", r.headers["x-litellm-call-id"], undefined]),
      ["e", r.headers["x-litellm-call-id"], "error"],
    ]);
    const times = all.map((f) => Number(field(f, "t")));
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(550);
    expect(await rc.zcard(OPEN(hash))).toBe(0);
  });

  it("a streaming client gone after a chunk ends as cancelled (LiteLLM's success event with 499)", async () => {
    const { key, hash } = await newKey(sim); // no mock: a real stream, chunks spread over 1.2 s
    const callId = await dropAfterFirstChunk(sim, key, {});
    const end = await waitFor("the end", async () => (await events(rc, hash)).find((f) => field(f, "e") === "e"));
    expect(end).toEqual(["e", "e", "k", hash, "c", callId, "t", expect.stringMatching(MS), "o", "cancelled", "w", expect.stringMatching(WORKER_ID)]);
    expect((await tracker(sim, hash)).samples[hash]).toEqual({ open: 0, upstream: 0 });
  });

  it("a client gone before any chunk, streaming or not, leaves no end: the open member stays, with its expiry", async () => {
    for (const stream of [true, false]) {
      const { key, hash } = await newKey(sim, MOCK);
      const ac = new AbortController();
      // A mock stream sends all its chunks after mock_delay: nothing has streamed when the client leaves.
      const pending = chat(sim, key, { mock_response: "x", mock_delay: 5, stream }, ac.signal).catch(() => "aborted");
      await waitFor("the start", async () => ((await rc.zcard(OPEN(hash))) === 1 ? true : undefined));
      ac.abort();
      expect(await pending).toBe("aborted");
      // The request has ended (ground truth 0) and no end was issued: the open set read behind every write made so far.
      await waitFor("the request ended", async () => ((await upstream(sim, hash)).current === 0 ? true : undefined));
      expect((await tracker(sim, hash)).samples[hash]).toEqual({ open: 1, upstream: 0 });
      expect((await events(rc, hash)).map((f) => field(f, "e"))).toEqual(["s"]);
      expect(await rc.pttl(OPEN(hash))).toBeGreaterThan(OPEN_TTL_MS - 60_000);
    }
  });

  it("a heartbeat per simulated worker, host:pid:index, at most every 5 s; events name the worker that served them", async () => {
    const beats = async () => {
      const all = await rc.hgetall(WORKERS);
      return Object.fromEntries(Object.entries(all).filter(([id]) => sim.pids().includes(Number(WORKER_ID.exec(id)?.[1]))));
    };
    const first = await beats();
    const ids = Object.keys(first).sort();
    expect(ids.map((id) => WORKER_ID.exec(id)![2])).toEqual(["0", "1"]);
    expect(new Set(ids.map((id) => WORKER_ID.exec(id)![1])).size).toBe(1);
    for (const raw of Object.values(first)) {
      const j = JSON.parse(raw);
      expect(Object.keys(j).sort()).toEqual(["dropped", "seen_ms", "started_ms", "version"]);
      expect(j).toMatchObject({ version: "simulator/1.94.0", dropped: 0 });
      expect(j.started_ms).toBeLessThanOrEqual(j.seen_ms);
      expect(Date.now() - j.seen_ms).toBeLessThan(15_000);
    }
    const seen = (b: Record<string, string>, id: string) => JSON.parse(b[id]).seen_ms as number;
    const next = await waitFor("the next heartbeat", async () => {
      const b = await beats();
      return seen(b, ids[0]) !== seen(first, ids[0]) ? b : undefined;
    });
    expect(seen(next, ids[0]) - seen(first, ids[0])).toBeGreaterThanOrEqual(4990);

    // Requests go to the workers in turn.
    const { key, hash } = await newKey(sim, MOCK);
    for (let i = 0; i < 2; i++) expect((await chat(sim, key, { mock_response: "x" })).status).toBe(200);
    expect(new Set((await events(rc, hash)).map((f) => field(f, "w")))).toEqual(new Set(ids));
  });

  it("GET /sim/tracker counts what it wrote", async () => {
    const before = await tracker(sim);
    const { key } = await newKey(sim, { rpm_limit: 2, ...MOCK });
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(200);
    expect((await chat(sim, key, { mock_timeout: true, timeout: 0.1 })).status).toBe(408);
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(429);
    const after = await tracker(sim);
    expect(after.workers).toEqual(before.workers);
    expect(after.written.start - before.written.start).toBe(2);
    expect(after.written.end.ok - before.written.end.ok).toBe(1);
    expect(after.written.end.error - before.written.end.error).toBe(1);
    expect(after.written.rejection.rpm - before.written.rejection.rpm).toBe(1);
    expect(after.written.heartbeat).toBeGreaterThanOrEqual(1);
    expect(after.dropped).toBe(0);
  });
});

describe("--tracker-redis-url: its own Redis, the stream trimmed, Redis errors dropped and counted", () => {
  let limiterRedis: TestRedis;
  let trackerRedis: TestRedis;
  let tc: Redis;
  let sim: TestSimulator;

  beforeAll(async () => {
    [limiterRedis, trackerRedis] = await Promise.all([startRedis(), startRedis()]);
    tc = new Redis(trackerRedis.url);
    sim = await startSimulator(["--limiter", "gauge", "--redis-url", limiterRedis.url, "--tracker", "--tracker-redis-url", trackerRedis.url]);
  });
  afterAll(async () => {
    tc?.disconnect();
    await sim?.stop();
    await Promise.all([limiterRedis?.stop(), trackerRedis?.stop()]);
  });

  it("writes to the tracker's Redis only, the limiter's to its own", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 2, ...MOCK });
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(200);
    expect(await events(tc, hash)).toHaveLength(2);
    const lc = new Redis(limiterRedis.url);
    try {
      expect(await lc.keys(`${P}*`)).toEqual([]);
      expect(await lc.keys(`{api_key:${hash}}:*`)).not.toEqual([]);
    } finally {
      lc.disconnect();
    }
  });

  it("trims the stream with MAXLEN ~ 100000: whole nodes, never below the bound", async () => {
    const preload = 100_300;
    for (let done = 0; done < preload; done += 10_000) {
      const p = tc.pipeline();
      for (let i = 0; i < Math.min(10_000, preload - done); i++) p.xadd(EVENTS, "*", "e", "x");
      await p.exec();
    }
    const { key, hash } = await newKey(sim, MOCK);
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(200);
    const len = await tc.xlen(EVENTS);
    expect(len).toBeGreaterThanOrEqual(100_000);
    expect(len).toBeLessThan(preload);
    expect(await events(tc, hash)).toHaveLength(2);
  });

  it("drops an event Redis refuses, counts it, answers anyway, and reports it in the heartbeat", async () => {
    await tc.del(EVENTS);
    await tc.set(EVENTS, "not a stream"); // XADD now fails with WRONGTYPE
    const { key, hash } = await newKey(sim, MOCK);
    expect((await chat(sim, key, { mock_response: "x" })).status).toBe(200);
    expect((await tracker(sim, hash)).dropped).toBe(2); // its start and its end
    await tc.del(EVENTS);
    const beat = await waitFor("a heartbeat with the drops", async () => {
      const all = Object.values(await tc.hgetall(WORKERS)).map((raw) => JSON.parse(raw));
      return all.find((j) => j.dropped === 2);
    });
    expect(beat.version).toBe("simulator/1.94.0");
  });

  it("never holds a response while its Redis is gone", async () => {
    await trackerRedis.stop();
    const { key } = await newKey(sim, MOCK);
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) expect((await chat(sim, key, { mock_response: "x" })).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(1500); // each at most the 500 ms write bound, in practice at once
    expect((await tracker(sim)).dropped).toBeGreaterThanOrEqual(2 + 6);
  });
});

describe("--tracker under concurrent traffic on a leaking key", () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    sim = await startSimulator(["--limiter", "gauge", "--redis-url", redis.url, "--tracker", "--workers", "2", "--leak-metadata-routes", "--slot-ttl", "2"]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("keeps the open set equal to the requests in flight at every sample, while the limiter's gauge leaks", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 4, ...MOCK });
    const random = mulberry32(36064); // seeded: the same routes and durations every run
    const until = Date.now() + 5000;
    const statuses: number[] = [];
    const client = async () => {
      while (Date.now() < until) {
        const body = { mock_response: "x", mock_delay: Number((0.05 + random() * 0.5).toFixed(3)) };
        const r = random() < 0.5 ? await messages(sim, key, body) : await chat(sim, key, body);
        statuses.push(r.status);
        if (r.status === 429) await sleep(30); // the scenario: a client backing off after a 429
      }
    };
    const samples: { open: number; upstream: number; gauge: number }[] = [];
    const sampler = async () => {
      while (Date.now() < until) {
        const [s, gauge] = await Promise.all([tracker(sim, hash), rc.zcard(`{api_key:${hash}}:max_parallel_requests`)]);
        samples.push({ ...s.samples[hash], gauge });
      }
    };
    await Promise.all([sampler(), ...Array.from({ length: 8 }, client)]);

    expect(samples.length).toBeGreaterThan(50);
    expect(samples.filter((s) => s.open !== s.upstream)).toEqual([]);
    expect(samples.some((s) => s.upstream > 0)).toBe(true);
    // The leak at work: the limiter holds slots for requests that have ended (read beside, not with, the truth).
    expect(samples.some((s) => s.gauge > s.upstream)).toBe(true);

    const ok = statuses.filter((s) => s === 200).length;
    const refused = statuses.filter((s) => s === 429).length;
    expect(ok + refused).toBe(statuses.length);
    expect(refused).toBeGreaterThan(0);
    expect((await tracker(sim, hash)).samples[hash]).toEqual({ open: 0, upstream: 0 });
    const kinds = (await events(rc, hash)).map((f) => field(f, "e") + (field(f, "o") ?? field(f, "y") ?? ""));
    expect(kinds.filter((k) => k === "s")).toHaveLength(ok);
    expect(kinds.filter((k) => k === "eok")).toHaveLength(ok);
    expect(kinds.filter((k) => k === "rmax_parallel_requests")).toHaveLength(refused);
    expect(await rc.hget(REJECTED(hash), "max_parallel_requests")).toBe(String(refused));
  });
});

describe("--tracker flags", () => {
  const env = {} as NodeJS.ProcessEnv;
  const A = "redis://127.0.0.1:6390";
  const B = "redis://127.0.0.1:6391";

  it("writes to --tracker-redis-url, else --redis-url; --demo mounts it whenever a Redis is given", () => {
    const url = (args: string[]) => (parseArgs(args, env) as { trackerRedisUrl: string | null }).trackerRedisUrl;
    expect(url([])).toBeNull();
    expect(url(["--redis-url", A])).toBeNull();
    expect(url(["--tracker", "--redis-url", A])).toBe(A);
    expect(url(["--tracker", "--tracker-redis-url", B])).toBe(B);
    expect(url(["--tracker", "--redis-url", A, "--tracker-redis-url", B])).toBe(B);
    expect(url(["--demo", "--redis-url", A])).toBe(A);
    expect(url(["--demo", "--tracker-redis-url", B])).toBe(B);
    expect(url(["--demo"])).toBeNull();
  });

  it("refuses --tracker without a Redis, and --tracker-redis-url without --tracker or --demo", () => {
    expect(() => parseArgs(["--tracker"], env)).toThrow("--tracker needs --tracker-redis-url or --redis-url");
    expect(() => parseArgs(["--tracker", "--demo"], env)).toThrow("--tracker needs --tracker-redis-url or --redis-url");
    expect(() => parseArgs(["--tracker-redis-url", B], env)).toThrow("--tracker-redis-url needs --tracker (or --demo)");
    expect(() => parseArgs(["--tracker", "--tracker-redis-url", "localhost:6379"], env)).toThrow("--tracker-redis-url must look like redis://host:port");
    expect(() => parseArgs(["--tracker=yes", "--redis-url", A], env)).toThrow("--tracker takes no value");
  });
});
