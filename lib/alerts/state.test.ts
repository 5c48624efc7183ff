import { describe, expect, it } from "vitest";
import type { Finding } from "./detect";
import type { AlertRecord } from "./repository";
import { advance, type Observation } from "./state";

const S = { holdS: 300, repeatS: 3600 };
const f = (fromSec: number, toSec: number, open: boolean, peak = 8): Finding => ({ fromSec, toSec, open, peak, limit: 5, evidence: { peakSec: fromSec } });
let n = 0;
const make = () => ({ id: `a${++n}`, ruleId: "r", keyId: 1 });

/** Runs evaluations in order, feeding each step's alert to the next; returns the phases told and the last alert. */
function run(obs: Partial<Observation>[], start: AlertRecord | null = null) {
  let alert = start;
  const phases: (string | null)[] = [];
  for (const o of obs) {
    const s = advance(alert, { findings: [], minDurationS: 0, nowSec: 0, nowMs: 0, silenced: false, closedSec: null, ...o }, S, make);
    phases.push(s.phase);
    // A resolved alert is closed: the next evaluation starts without it, as openAlerts() would.
    alert = s.alert?.state === "resolved" ? null : s.alert;
    if (s.alert?.state === "resolved") phases.push("resolved-state");
  }
  return { phases: phases.filter(Boolean), alert };
}

describe("the alert life cycle", () => {
  it("fires once while it holds, then resolves exactly once after the hold time", () => {
    const open = f(100, 110, true);
    const closed = f(100, 120, false);
    const r = run([
      { findings: [open], nowSec: 105, nowMs: 110_000 },
      { findings: [open], nowSec: 108, nowMs: 112_000 },
      { findings: [closed], nowSec: 130, nowMs: 140_000 },
      { findings: [closed], nowSec: 400, nowMs: 410_000 },
      { findings: [closed], nowSec: 421, nowMs: 430_000 },
    ]);
    expect(r.phases).toEqual(["firing", "resolved", "resolved-state"]);
  });

  it("a key that keeps bursting within the hold time is one alert, not dozens", () => {
    const bursts = [f(100, 105, false), f(200, 205, false), f(350, 352, false), f(500, 503, true)];
    const obs = bursts.map((b, i) => ({ findings: bursts.slice(0, i + 1), nowSec: b.toSec + 1, nowMs: (b.toSec + 1) * 1000 }));
    const r = run(obs);
    expect(r.phases).toEqual(["past", "firing"]);
    expect(r.alert).toMatchObject({ state: "firing", announced: "live", startedSec: 100, lastActiveSec: 503, episodes: 4 });
  });

  it("an episode found only after it ended is told once as past, never as a fire then a resolve", () => {
    const r = run([
      { findings: [f(100, 130, false)], nowSec: 140, nowMs: 200_000 },
      { findings: [f(100, 130, false)], nowSec: 300, nowMs: 300_000 },
      { findings: [f(100, 130, false)], nowSec: 431, nowMs: 431_000 },
    ]);
    expect(r.phases).toEqual(["past", "resolved-state"]);
  });

  it("found so late that the hold time is over already: one past message and resolved at once", () => {
    const r = run([{ findings: [f(100, 130, false)], nowSec: 500, nowMs: 500_000 }]);
    expect(r.phases).toEqual(["past", "resolved-state"]);
  });

  it("repeats no more often than the repeat interval while firing", () => {
    const open = f(0, 10, true);
    const times = [10, 1000, 3000, 3610, 4000, 7300];
    const r = run(times.map((t) => ({ findings: [{ ...open, toSec: t }], nowSec: t - 5, nowMs: t * 1000 })));
    expect(r.phases).toEqual(["firing", "repeat", "repeat"]);
  });

  it("waits for the minimum duration (pending), and forgets a short stretch that ends", () => {
    const short = advance(null, { findings: [f(100, 103, true)], minDurationS: 10, nowSec: 103, nowMs: 0, silenced: false, closedSec: null }, S, make);
    expect(short).toMatchObject({ phase: null, alert: { state: "pending" } });
    const gone = advance(short.alert, { findings: [f(100, 104, false)], minDurationS: 10, nowSec: 110, nowMs: 0, silenced: false, closedSec: null }, S, make);
    expect(gone).toEqual({ alert: null, removed: true, phase: null });
    const long = advance(short.alert, { findings: [f(100, 111, true)], minDurationS: 10, nowSec: 111, nowMs: 0, silenced: false, closedSec: null }, S, make);
    expect(long).toMatchObject({ phase: "firing", alert: { id: short.alert!.id, state: "firing", startedSec: 100 } });
  });

  it("a silence mutes firing and repeats; the alert is told when the silence ends while it still holds", () => {
    const open = f(0, 10, true);
    const muted = advance(null, { findings: [open], minDurationS: 0, nowSec: 5, nowMs: 10_000, silenced: true, closedSec: null }, S, make);
    expect(muted).toMatchObject({ phase: null, alert: { state: "firing", announced: null } });
    const after = advance(muted.alert, { findings: [{ ...open, toSec: 20 }], minDurationS: 0, nowSec: 15, nowMs: 20_000, silenced: false, closedSec: null }, S, make);
    expect(after.phase).toBe("firing");
    // Silenced all along: it resolves without a word.
    const quiet = advance(muted.alert, { findings: [{ ...open, open: false }], minDurationS: 0, nowSec: 400, nowMs: 400_000, silenced: true, closedSec: null }, S, make);
    expect(quiet).toMatchObject({ phase: null, alert: { state: "resolved" } });
  });

  it("a firing alert silenced later still sends its one resolved message", () => {
    const fired = advance(null, { findings: [f(0, 10, true)], minDurationS: 0, nowSec: 5, nowMs: 0, silenced: false, closedSec: null }, S, make);
    const r = advance(fired.alert, { findings: [f(0, 10, false)], minDurationS: 0, nowSec: 400, nowMs: 1, silenced: true, closedSec: null }, S, make);
    expect(r.phase).toBe("resolved");
  });

  it("a past alert that recurs live is told as firing, then resolved once", () => {
    const r = run([
      { findings: [f(100, 110, false)], nowSec: 120, nowMs: 120_000 },
      { findings: [f(100, 110, false), f(200, 210, true)], nowSec: 205, nowMs: 210_000 },
      { findings: [f(100, 110, false), f(200, 215, false)], nowSec: 520, nowMs: 520_000 },
    ]);
    expect(r.phases).toEqual(["past", "firing", "resolved", "resolved-state"]);
  });

  it("stretches of an alert already resolved (even stretched by late rows) do not open a new one", () => {
    const r = advance(null, { findings: [f(100, 140, false)], minDurationS: 0, nowSec: 500, nowMs: 0, silenced: false, closedSec: 130 }, S, make);
    expect(r).toEqual({ alert: null, removed: false, phase: null });
  });
});
