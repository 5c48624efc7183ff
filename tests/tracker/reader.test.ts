// The tracker reader against a real Redis holding the layout of docs/tracker-layout.md, written
// here by hand as a writer would: it follows the event log, re-bases on the open sets when the log
// was trimmed past it or Redis lost it, prunes lost ends (and writes them back), and reads the
// writers' heartbeats.
import Redis from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { trackerKeys } from "../../lib/tracker/layout";
import { TrackerReader } from "../../lib/tracker/reader";
import { startRedis, type TestRedis } from "../support/redis";

const A = "a".repeat(64);
const B = "b".repeat(64);

describe("TrackerReader", () => {
  let server: TestRedis;
  let r: Redis;
  beforeAll(async () => {
    server = await startRedis();
    r = new Redis(server.url);
  });
  afterAll(async () => {
    r?.disconnect();
    await server?.stop();
  });
  beforeEach(() => r.flushall());

  /** What a writer does at a start or an end (one pipeline, one key per command). */
  const startReq = (hash: string, callId: string, atMs: number) =>
    r.pipeline().zadd(trackerKeys.open(hash), "NX", atMs, callId).zadd(trackerKeys.keys, atMs, hash).xadd(trackerKeys.events, "*", "e", "s", "k", hash, "c", callId, "t", String(atMs), "w", "w1").exec();
  const endReq = (hash: string, callId: string, atMs: number) =>
    r.pipeline().zrem(trackerKeys.open(hash), callId).zadd(trackerKeys.keys, atMs, hash).xadd(trackerKeys.events, "*", "e", "e", "k", hash, "c", callId, "t", String(atMs), "o", "ok", "w", "w1").exec();

  it("loads what is open at the first tick, then follows the log; reads heartbeats", async () => {
    const now = Date.now();
    await startReq(A, "1", now - 100);
    await startReq(B, "2", now - 50);
    await r.hset(trackerKeys.workers, "host:1", JSON.stringify({ seen_ms: now, version: "1", dropped: 2, started_ms: now - 1000 }));
    const reader = new TrackerReader(r, { maxAgeMs: 60_000, canWrite: true });
    expect(await reader.tick(now)).toMatchObject({ rebased: true, events: 0, workers: 1 });
    expect(reader.state.inFlight()).toEqual(new Map([[A, 1], [B, 1]]));
    expect(reader.heartbeats[0]).toMatchObject({ worker: "host:1", dropped: 2 });

    await endReq(A, "1", now + 10);
    await startReq(A, "3", now + 20);
    await startReq(A, "3", now + 25); // a retry's repeat
    expect(await reader.tick(now + 30)).toMatchObject({ rebased: false, events: 3 });
    expect(reader.state.inFlight()).toEqual(new Map([[A, 1], [B, 1]]));
    expect(reader.state.takeIntervals()).toEqual([{ hash: A, callId: "1", startMs: now - 100, endMs: now + 10, outcome: "ok" }]);
  });

  it("re-bases when the log was trimmed past where it read, and when Redis lost everything", async () => {
    const now = Date.now();
    const reader = new TrackerReader(r, { maxAgeMs: 60_000, canWrite: true });
    await startReq(A, "1", now);
    await reader.tick(now);
    for (let i = 0; i < 50; i++) await startReq(B, `b${i}`, now + i);
    await r.xtrim(trackerKeys.events, "MAXLEN", 10);
    expect(await reader.tick(now + 100)).toMatchObject({ rebased: true });
    expect(reader.state.inFlight()).toEqual(new Map([[A, 1], [B, 50]]));

    await r.flushall();
    expect(await reader.tick(now + 200)).toMatchObject({ rebased: true });
    expect(reader.state.inFlight()).toEqual(new Map());
    await startReq(A, "n", now + 300);
    expect(await reader.tick(now + 300)).toMatchObject({ events: 1 });
    expect(reader.state.inFlight()).toEqual(new Map([[A, 1]]));
  });

  it("prunes open requests older than the max age as lost ends, in Redis too; read-only, only here", async () => {
    const now = Date.now();
    await startReq(A, "old", now - 120_000);
    await startReq(A, "new", now - 1_000);
    const ro = new TrackerReader(r, { maxAgeMs: 60_000, canWrite: false });
    expect(await ro.tick(now)).toMatchObject({ pruned: 1 });
    expect(ro.state.inFlight()).toEqual(new Map([[A, 1]]));
    expect(await r.zcard(trackerKeys.open(A))).toBe(2);

    const rw = new TrackerReader(r, { maxAgeMs: 60_000, canWrite: true });
    expect(await rw.tick(now)).toMatchObject({ pruned: 1 });
    expect(await r.zrange(trackerKeys.open(A), "0", "-1")).toEqual(["new"]);
    expect(await r.hget(trackerKeys.lost, A)).toBe("1");
    // Its own lost event comes back through the log as a repeat: nothing changes.
    expect(await rw.tick(now + 10)).toMatchObject({ events: 1, pruned: 0 });
    expect(rw.state.inFlight()).toEqual(new Map([[A, 1]]));
    expect(rw.state.counters.lost).toBe(1);
  });
});
