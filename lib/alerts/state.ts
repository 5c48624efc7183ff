import type { AlertRecord } from "./repository";
import type { Finding } from "./detect";
import type { Phase } from "./types";

/** The time spans of the alert life cycle (settings: ALERT_RESOLVE_HOLD_S, ALERT_REPEAT_INTERVAL_S). */
export interface LifecycleSettings {
  /** An alert resolves only after its key stayed healthy this long: a key that keeps bursting is one alert. */
  holdS: number;
  /** While firing, it is told again no more often than this. */
  repeatS: number;
}

/** What one evaluation saw for one (rule, key). */
export interface Observation {
  /** The detector's findings in the evaluated window, oldest first. */
  findings: Finding[];
  minDurationS: number;
  /** Where the detector's view ends (its horizon): "healthy for the hold time" is measured up to here. */
  nowSec: number;
  nowMs: number;
  /** A silence covers it: no firing or repeat message (a resolved one still closes what was told). */
  silenced: boolean;
  /**
   * The end of the last resolved alert of this (rule, key): findings starting before it belong to
   * that alert (late rows may still stretch it) and do not open a new one.
   */
  closedSec: number | null;
}

export interface Step {
  /** The alert after this evaluation; null: none (nothing seen, or a pending one that no longer holds). */
  alert: AlertRecord | null;
  /** A pending alert that never fired and no longer holds: remove its row. */
  removed: boolean;
  /** The message this change causes, if any. */
  phase: Phase | null;
}

/**
 * The alert life cycle, pure: pending (the condition holds, not yet for its minimum duration) →
 * firing (told once: "firing" while it holds at the horizon, or "past" when it was found only
 * after it ended, as late spend-log truth often is) → resolved after the hold time without the
 * condition, told exactly once, and only when a firing message went out (a "past" message already
 * said it ended). While firing it is repeated every repeatS; a "past" alert that recurs live is
 * told as firing. `make` builds a new alert's identity.
 */
export function advance(prev: AlertRecord | null, o: Observation, s: LifecycleSettings, make: () => Pick<AlertRecord, "id" | "ruleId" | "keyId">): Step {
  const floor = Math.max(prev?.startedSec ?? -Infinity, o.closedSec ?? -Infinity);
  const seen = o.findings.filter((f) => (prev && prev.state !== "pending" ? f.toSec > prev.startedSec : f.fromSec >= floor));
  const qualified = seen.filter((f) => f.toSec - f.fromSec >= o.minDurationS);
  const ongoing = seen.some((f) => f.open);
  const firing = prev?.state === "firing";

  if (!firing && qualified.length === 0) {
    // Not (yet) an alert: pending while a short stretch still holds at the horizon.
    const short = seen.find((f) => f.open);
    if (!short) return { alert: null, removed: prev !== null, phase: null };
    const base = prev ?? { ...make(), createdAtMs: o.nowMs, episodes: 1, announced: null, lastNotifiedAtMs: null, resolvedAtMs: null };
    return { alert: { ...base, ...summary(seen), state: "pending", updatedAtMs: o.nowMs }, removed: false, phase: null };
  }

  const base: AlertRecord = firing
    ? prev!
    : { ...(prev ?? make()), ...summary(qualified), state: "firing", announced: null, episodes: 0, lastNotifiedAtMs: null, resolvedAtMs: null, createdAtMs: prev?.createdAtMs ?? o.nowMs, updatedAtMs: o.nowMs, evidence: {} };
  const merged = mergeFindings(base, firing ? seen : qualified);
  const next: AlertRecord = { ...merged, updatedAtMs: o.nowMs };

  let phase: Phase | null = null;
  if (!o.silenced) {
    if (next.announced !== "live" && ongoing) phase = "firing";
    else if (next.announced === null && !ongoing) phase = "past";
    else if (next.announced === "live" && next.lastNotifiedAtMs !== null && o.nowMs - next.lastNotifiedAtMs >= s.repeatS * 1000 && o.nowSec - next.lastActiveSec < s.holdS) phase = "repeat";
  }
  if (phase === "firing") next.announced = "live";
  if (phase === "past") next.announced = "past";
  if (phase) next.lastNotifiedAtMs = o.nowMs;

  if (!ongoing && o.nowSec - next.lastActiveSec >= s.holdS) {
    const told = next.announced === "live";
    next.state = "resolved";
    next.resolvedAtMs = o.nowMs;
    // Only a firing message is closed by a resolved one: a "past" one already said it ended, and
    // a silenced alert told nothing. (A repeat is never due here: it needs the hold not yet over.)
    if (told) {
      phase = "resolved";
      next.lastNotifiedAtMs = o.nowMs;
    }
  }
  return { alert: next, removed: false, phase };
}

function summary(fs: Finding[]): Pick<AlertRecord, "startedSec" | "lastActiveSec" | "peak" | "limit" | "evidence"> {
  const top = fs.reduce((a, b) => ((b.peak ?? -1) > (a.peak ?? -1) ? b : a));
  return {
    startedSec: Math.min(...fs.map((f) => f.fromSec)),
    lastActiveSec: Math.max(...fs.map((f) => f.toSec)),
    peak: top.peak,
    limit: top.limit,
    evidence: top.evidence,
  };
}

/** The alert stretched over these findings: its span, its highest peak (with that finding's evidence), and how many stretches it holds. */
function mergeFindings(a: AlertRecord, fs: Finding[]): AlertRecord {
  if (!fs.length) return a;
  const s = summary(fs);
  const higher = (s.peak ?? -1) > (a.peak ?? -1) || a.episodes === 0;
  return {
    ...a,
    startedSec: Math.min(a.startedSec, s.startedSec),
    lastActiveSec: Math.max(a.lastActiveSec, s.lastActiveSec),
    peak: higher ? s.peak : a.peak,
    limit: higher ? s.limit : a.limit,
    evidence: higher ? s.evidence : a.evidence,
    episodes: Math.max(a.episodes, fs.length),
  };
}

/**
 * An open alert whose rule was disabled or no longer covers its key: resolved now, with the one
 * resolved message when a firing message went out (a receiver must not be left with an open incident).
 */
export function retire(prev: AlertRecord, nowMs: number): Step {
  if (prev.state === "pending") return { alert: null, removed: true, phase: null };
  const told = prev.announced === "live";
  return {
    alert: { ...prev, state: "resolved", resolvedAtMs: nowMs, updatedAtMs: nowMs, lastNotifiedAtMs: told ? nowMs : prev.lastNotifiedAtMs },
    removed: false,
    phase: told ? "resolved" : null,
  };
}
