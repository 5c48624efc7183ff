import type { KeySeries } from "../../lib/api/keys";

/** A key state for view-model tests: within its limit, with traffic. */
export function keyStateFixture(patch: Partial<KeySeries["state"]> = {}): KeySeries["state"] {
  return {
    status: "ok",
    severity: 0,
    limitNow: 5,
    inFlightNow: 0,
    believedNow: null,
    peak: 0,
    peakRatio: 0,
    violations: 0,
    secondsOver: 0,
    admitted: 1,
    rejected: 0,
    ...patch,
  };
}
