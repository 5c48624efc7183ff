import { describe, expect, it } from "vitest";
import { LiveSeconds } from "./live-seconds";

const A = "a".repeat(64);
const B = "b".repeat(64);
const S = 1_796_000_000; // an epoch second
const at = (sec: number, ms = 0) => (S + sec) * 1000 + ms;

describe("LiveSeconds: each key's most requests in flight in each whole second, from the tracker's changes", () => {
  it("counts the peak inside a second, carries the count on, and gives each complete second once", () => {
    const l = new LiveSeconds(2_000);
    l.rebase(new Map([[A, 1]]), at(0));
    // Second 0: 1 carried, +1 at .100, +1 at .200 (3), -1 at .300, -1 at .900: peak 3.
    l.change(A, at(0, 100), 1);
    l.change(A, at(0, 200), 1);
    l.change(A, at(0, 300), -1);
    l.change(A, at(0, 900), -1);
    // Second 1: nothing happens, 1 carried. Second 2: the last one ends at .500.
    l.change(A, at(2, 500), -1);
    // B: a request within second 1 only.
    l.change(B, at(1, 10), 1);
    l.change(B, at(1, 20), -1);
    expect(l.flush(at(4))).toEqual([
      { hash: A, sec: S, maxInFlight: 3 },
      { hash: A, sec: S + 1, maxInFlight: 1 },
      { hash: B, sec: S + 1, maxInFlight: 1 },
    ]);
    // Second 2 completes two seconds later; then nothing is in flight: nothing more is given.
    expect(l.flush(at(5, 100))).toEqual([{ hash: A, sec: S + 2, maxInFlight: 1 }]);
    expect(l.flush(at(5, 900))).toEqual([]);
    expect(l.flush(at(10))).toEqual([]);
  });

  it("an end before a start at the same millisecond is not a peak", () => {
    const l = new LiveSeconds(0);
    l.rebase(new Map([[A, 2]]), at(0));
    l.change(A, at(0, 500), 1);
    l.change(A, at(0, 500), -1);
    expect(l.flush(at(1))).toEqual([{ hash: A, sec: S, maxInFlight: 2 }]);
  });

  it("a change too late for its second moves only the count carried on", () => {
    const l = new LiveSeconds(0);
    l.rebase(new Map(), at(0));
    l.change(A, at(0, 100), 1);
    expect(l.flush(at(1))).toEqual([{ hash: A, sec: S, maxInFlight: 1 }]);
    l.change(A, at(0, 500), 1); // second 0 already given
    expect(l.flush(at(2))).toEqual([{ hash: A, sec: S + 1, maxInFlight: 2 }]);
  });

  it("a rebase starts afresh from the open sets", () => {
    const l = new LiveSeconds(0);
    l.rebase(new Map([[A, 5]]), at(0));
    l.change(A, at(0, 100), 1);
    l.rebase(new Map([[B, 1]]), at(3, 400));
    expect(l.flush(at(5))).toEqual([
      { hash: B, sec: S + 3, maxInFlight: 1 },
      { hash: B, sec: S + 4, maxInFlight: 1 },
    ]);
  });
});
