import { describe, expect, it } from "vitest";
import type { AlertView } from "../../api/alerts";
import { alertMarks, markDetectors } from "./chart-marks";

const alert = (id: string, startedSec: number, lastActiveSec: number, detector: AlertView["detector"] = "exceeded"): AlertView => ({
  id,
  ruleId: "r",
  ruleName: "rule",
  detector,
  keyId: 1,
  keyHash: "a".repeat(64),
  keyAlias: null,
  teamId: null,
  state: "firing",
  announced: "live",
  startedSec,
  lastActiveSec,
  peak: 7,
  limit: 5,
  evidence: {},
  episodes: 1,
  lastNotifiedAtMs: null,
  resolvedAtMs: null,
  createdAtMs: 0,
  updatedAtMs: 0,
});

describe("alert marks on a key's chart", () => {
  it("keeps the alerts overlapping the range, oldest first, clipped to it", () => {
    const marks = alertMarks([alert("late", 150, 400), alert("out", 10, 50), alert("in", 110, 120, "stuck")], 100_000, 200_000);
    expect(marks.map((m) => [m.id, m.fromMs, m.toMs])).toEqual([
      ["in", 110_000, 120_000],
      ["late", 150_000, 200_000],
    ]);
    expect(marks[1].lastActiveMs).toBe(400_000);
    expect(markDetectors(marks)).toEqual(["exceeded", "stuck"]);
  });

  it("gives a one-second alert a visible second, and leaves out alerts of removed rules", () => {
    expect(alertMarks([alert("a", 150, 150)], 100_000, 200_000)[0]).toMatchObject({ fromMs: 150_000, toMs: 151_000 });
    expect(alertMarks([alert("gone", 150, 160, null)], 100_000, 200_000)).toEqual([]);
  });
});
