// The layout contract across languages: the Python callback (integrations/litellm), driven through
// a request lifecycle with LiteLLM's hook arguments, writes the tracker's Redis; Inflight's
// TypeScript reader reads it back: what is in flight, the interval that ended, the rejection.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trackerKeys } from "../../lib/tracker/layout";
import { TrackerReader } from "../../lib/tracker/reader";
import { startRedis, type TestRedis } from "../support/redis";

const ROOT = path.resolve(__dirname, "..", "..");
const A = "a".repeat(64);
const B = "b".repeat(64);

describe("tracker layout: the Python callback writes, the TypeScript reader reads", () => {
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

  it("a lifecycle of starts, a retry, an end, a limiter 429 and a /v1/messages request", async () => {
    const reader = new TrackerReader(r, { maxAgeMs: 3_600_000, canWrite: false });
    await reader.tick();
    await promisify(execFile)("/usr/bin/python3", [path.join(ROOT, "integrations/litellm/tests/lifecycle_driver.py"), server.url, A, B], { cwd: ROOT });
    const tick = await reader.tick();
    expect(tick).toMatchObject({ malformed: 0, rebased: false, workers: 1 });
    expect(reader.state.inFlight()).toEqual(new Map([[A, 1], [B, 1]]));
    const [interval] = reader.state.takeIntervals();
    expect(interval).toMatchObject({ hash: A, callId: "c1", outcome: "ok" });
    expect(interval.endMs).toBeGreaterThanOrEqual(interval.startMs);
    expect(reader.state.counters).toMatchObject({ starts: 3, ends: 1, rejections: 1 });
    expect(await r.hgetall(trackerKeys.rejected(A))).toEqual({ max_parallel_requests: "1" });
    expect(reader.heartbeats[0]).toMatchObject({ dropped: 0, version: expect.stringContaining("litellm-callback") });
    // A fresh reader (an Inflight restart) finds the same from the open sets alone.
    const fresh = new TrackerReader(r, { maxAgeMs: 3_600_000, canWrite: false });
    expect(await fresh.tick()).toMatchObject({ rebased: true });
    expect(fresh.state.inFlight()).toEqual(reader.state.inFlight());
  });
});
