import { describe, expect, it } from "vitest";
import type { TrackerEvent } from "./layout";
import { LiveState } from "./live-state";

const H = "a".repeat(64);
const start = (callId: string, atMs: number): TrackerEvent => ({ kind: "start", hash: H, callId, atMs, worker: "w" });
const end = (callId: string, atMs: number): TrackerEvent => ({ kind: "end", hash: H, callId, atMs, outcome: "ok", worker: "w" });

describe("LiveState", () => {
  it("counts requests in flight per key and yields each completed interval once", () => {
    const s = new LiveState();
    [start("1", 10), start("2", 20), end("1", 30)].forEach((e) => s.apply(e));
    expect(s.inFlight()).toEqual(new Map([[H, 1]]));
    expect(s.takeIntervals()).toEqual([{ hash: H, callId: "1", startMs: 10, endMs: 30, outcome: "ok" }]);
    expect(s.takeIntervals()).toEqual([]);
    s.apply(end("2", 40));
    expect(s.inFlight()).toEqual(new Map());
  });

  it("is idempotent: a retry's repeated start, a repeated end and a start after the end change nothing", () => {
    const s = new LiveState();
    [start("1", 10), start("1", 15), end("1", 30), end("1", 35), start("1", 40), end("9", 50)].forEach((e) => s.apply(e));
    expect(s.inFlight()).toEqual(new Map());
    expect(s.takeIntervals()).toEqual([{ hash: H, callId: "1", startMs: 10, endMs: 30, outcome: "ok" }]);
    expect(s.counters).toMatchObject({ starts: 1, ends: 1, repeats: 4 });
  });

  it("re-bases on the open sets; stale requests are found and, once lost, never counted again", () => {
    const s = new LiveState();
    s.apply(start("x", 1));
    s.rebase(new Map([[H, new Map([["1", 100], ["2", 5_000]])]]), 6_000);
    expect(s.inFlight()).toEqual(new Map([[H, 2]]));
    expect(s.stale(1_000)).toEqual([{ hash: H, callId: "1", startMs: 100 }]);
    s.apply({ kind: "lost", hash: H, callId: "1", atMs: 2_000, worker: "inflight" });
    s.apply(end("1", 2_500));
    expect(s.inFlight()).toEqual(new Map([[H, 1]]));
    // Reported once, as lost (the comparison with spend logs leaves it out); the late end changes nothing.
    expect(s.takeIntervals()).toEqual([{ hash: H, callId: "1", startMs: 100, endMs: 2_000, outcome: "lost" }]);
    expect(s.counters.lost).toBe(1);
  });
});
