import type { RuleScopeSchema, RuleView } from "../../api/alerts";
import { RULE_PARAMS } from "../../alerts/rules";
import type { Detector } from "../../alerts/types";
import type { z } from "zod";
import { shortHash } from "../format/keys";

// The rule form's model: what the admin types (text, so an empty field means "the default"), and
// the body PUT/POST /api/alerts/rules takes. The server checks the values (RuleInputSchema).

/** Each threshold of RULE_PARAMS in words, with its unit. */
export const PARAM_LABELS: Record<string, { label: string; unit: string; hint: string }> = {
  margin: { label: "Margin", unit: "requests", hint: "fires when in flight exceeds the limit by more than this" },
  minDurationS: { label: "Min duration", unit: "s", hint: "how long the condition holds before the alert fires" },
  belowRatio: { label: "Below share of the limit", unit: "0–1", hint: "true in-flight at most this share of the limit while 429s come" },
  gapS: { label: "Quiet gap bridged", unit: "s", hint: "seconds without evidence still counted as one stretch" },
  tolerance: { label: "Tolerance", unit: "0–0.5", hint: "how near a whole multiple (2×, 3×…) the peak must be" },
  threshold: { label: "Threshold", unit: "requests", hint: "LiteLLM's count above the truth by at least this many" },
};

/** What each detector finds, in a line (the form's help under the detector select). */
export const DETECTOR_HELP: Record<Detector, string> = {
  exceeded: "More requests in flight than the key's max_parallel_requests.",
  stuck: "LiteLLM answers 429 for max_parallel_requests while few requests are really in flight: its limiter holds slots no request uses.",
  multiplied: "The peak sits at a whole multiple of the limit while LiteLLM shares no limiter state: each worker counts the limit on its own.",
  drift: "LiteLLM's own count disagrees with the truth (more than really in flight, or a negative counter).",
};

/** The detector's thresholds, in RULE_PARAMS's order. */
export const paramNames = (d: Detector): string[] => Object.keys(RULE_PARAMS[d].shape);

/** The detector's defaults (what an empty field means). */
export const paramDefaults = (d: Detector): Record<string, number> => RULE_PARAMS[d].parse({}) as Record<string, number>;

type Scope = z.infer<typeof RuleScopeSchema>;

export interface RuleDraft {
  name: string;
  detector: Detector;
  scope: Scope["kind"];
  /** The team id or the key hash, by scope. */
  scopeValue: string;
  /** Typed text per threshold; empty: the default. */
  params: Record<string, string>;
  enabled: boolean;
}

export const EMPTY_RULE: RuleDraft = { name: "", detector: "exceeded", scope: "all", scopeValue: "", params: {}, enabled: true };

/** A rule as the form shows it: a threshold equal to its default is left empty (the placeholder says it). */
export function draftOf(rule: RuleView): RuleDraft {
  const defaults = paramDefaults(rule.detector);
  const params = Object.fromEntries(Object.entries(rule.params).filter(([k, v]) => defaults[k] !== v).map(([k, v]) => [k, String(v)]));
  const scopeValue = rule.scope.kind === "team" ? rule.scope.teamId : rule.scope.kind === "key" ? rule.scope.keyHash : "";
  return { name: rule.name, detector: rule.detector, scope: rule.scope.kind, scopeValue, params, enabled: rule.enabled };
}

/** The body the rules API takes. A threshold that is not a number is sent as such, for the server to say why. */
export function ruleBody(d: RuleDraft) {
  const scope: Scope = d.scope === "team" ? { kind: "team", teamId: d.scopeValue.trim() } : d.scope === "key" ? { kind: "key", keyHash: d.scopeValue.trim() } : { kind: "all" };
  const params: Record<string, number | string> = {};
  for (const name of paramNames(d.detector)) {
    const text = (d.params[name] ?? "").trim();
    if (text !== "") params[name] = Number.isFinite(Number(text)) ? Number(text) : text;
  }
  return { name: d.name, detector: d.detector, scope, params, enabled: d.enabled };
}

/** A rule's thresholds in a line: "margin 0 requests · min duration 30 s". */
export function paramsLine(rule: Pick<RuleView, "detector" | "params">): string {
  const values = { ...paramDefaults(rule.detector), ...rule.params };
  return paramNames(rule.detector)
    .map((n) => `${PARAM_LABELS[n]?.label.toLowerCase() ?? n} ${values[n]}${PARAM_LABELS[n]?.unit === "s" ? " s" : ""}`)
    .join(" · ");
}

/** Where a rule applies, in words. */
export function scopeLabel(scope: Scope, keyName: (hash: string) => string = shortHash): string {
  if (scope.kind === "all") return "every key";
  if (scope.kind === "team") return `team ${scope.teamId}`;
  return `key ${keyName(scope.keyHash)}`;
}
