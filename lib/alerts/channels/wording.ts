import { formatLimit, shortHash } from "../../view/format/keys";
import { utcStamp } from "../../view/format/time";
import { type AlertNotification, DETECTOR_LABELS, type Phase } from "../types";

// The words Slack and PagerDuty show a person, in one place so both say the same thing.

const PHASE_PREFIX: Record<Phase, string> = {
  firing: "",
  repeat: "Still firing: ",
  resolved: "Resolved: ",
  past: "Found after it ended: ",
};

/** The key as a person knows it: its alias, else the start of its hash. */
export function keyName(n: AlertNotification): string {
  return n.keyAlias ?? shortHash(n.keyHash);
}

/** "prod-app (ab12cd34…)": alias and short hash, so two keys with one alias stay apart. */
export function keyWithHash(n: AlertNotification): string {
  return n.keyAlias ? `${n.keyAlias} (${shortHash(n.keyHash)})` : shortHash(n.keyHash);
}

/** "[production] Still firing: Limit exceeded on key prod-app"; a test says so first. */
export function headline(n: AlertNotification): string {
  const environment = n.environment ? `[${n.environment}] ` : "";
  const test = n.test ? "Test from Inflight: " : "";
  return `${environment}${test}${PHASE_PREFIX[n.phase]}${DETECTOR_LABELS[n.detector]} on key ${keyName(n)}`;
}

/** "peak 6 in flight against a limit of 4"; stuck and drift carry LiteLLM's count, not a peak. */
export function peakAgainstLimit(n: AlertNotification): string {
  const peak = n.peak === null ? "unknown" : n.peak.toLocaleString("en-US");
  const limit = n.limit === null ? "no limit" : `a limit of ${formatLimit(n.limit)}`;
  return n.detector === "stuck" || n.detector === "drift" ? `LiteLLM's count ${peak} against ${limit}` : `peak ${peak} in flight against ${limit}`;
}

/** "since 2026-11-25 01:52:07 UTC", or "from … to … UTC" once it ended. */
export function period(n: AlertNotification): string {
  return n.endedAt ? `from ${utcStamp(n.startedAt)} to ${utcStamp(n.endedAt)}` : `since ${utcStamp(n.startedAt)}`;
}

/** The chart's URL when a reader can open it (absolute http/https); null otherwise (a test has no chart). */
export function chartUrl(n: AlertNotification): string | null {
  return URL.canParse(n.url) && /^https?:$/.test(new URL(n.url).protocol) ? n.url : null;
}
