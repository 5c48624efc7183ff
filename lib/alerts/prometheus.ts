import type { AlertRule, RuleScope } from "./repository";
import { parseParams } from "./rules";
import { DETECTOR_EVENTS, DETECTOR_LABELS } from "./types";

// The enabled rules as a Prometheus alerting-rules file over Inflight's /metrics, for operators who
// already run Alertmanager. Prometheus sees only what /metrics exposes (the last complete second's
// in-flight, counters of violation seconds and 429s), so each rule is the closest expression, said
// in its annotations; Inflight's own alerts remain exact to the second.

const selector = (scope: RuleScope, extra = ""): string => {
  const m = scope.kind === "team" ? `team=${JSON.stringify(scope.teamId)}` : scope.kind === "key" ? `hashed_api_key=${JSON.stringify(scope.keyHash)}` : "";
  const all = [m, extra].filter(Boolean).join(",");
  return all ? `{${all}}` : "";
};

const seconds = (s: number) => `${Math.max(0, Math.round(s))}s`;

function expression(rule: AlertRule): { expr: string; forS: number; description: string } {
  const sel = selector(rule.scope);
  const on = "on(hashed_api_key, api_key_alias, team)";
  switch (rule.detector) {
    case "exceeded": {
      const p = parseParams("exceeded", rule.params);
      return {
        expr: p.margin === 0 ? `increase(inflight_key_violation_seconds_total${sel}[5m]) > 0` : `inflight_key_in_flight${sel} - ${on} inflight_key_max_parallel_requests${sel} > ${p.margin}`,
        forS: p.minDurationS,
        description: "The key ran more requests at once than its max_parallel_requests.",
      };
    }
    case "multiplied": {
      return {
        expr: `inflight_key_in_flight${sel} >= ${on} (2 * inflight_key_max_parallel_requests${sel})`,
        forS: parseParams("multiplied", rule.params).minDurationS,
        description: "The key ran twice its max_parallel_requests or more: per-worker or per-replica counting (check LiteLLM's coordination Redis).",
      };
    }
    case "stuck": {
      const p = parseParams("stuck", rule.params);
      return {
        expr: `increase(inflight_key_rejected_requests_total${sel}[1m]) > 0 and ${on} inflight_key_in_flight${sel} <= ${on} (${p.belowRatio} * inflight_key_max_parallel_requests${sel})`,
        forS: p.minDurationS,
        description: "LiteLLM rejects the key for max_parallel_requests while little of it is in flight: its limiter holds slots no request uses.",
      };
    }
    case "drift": {
      const p = parseParams("drift", rule.params);
      return {
        expr: `(inflight_key_litellm_believed_in_flight${sel} - ${on} inflight_key_in_flight${sel} >= ${p.threshold}) or inflight_key_litellm_raw_counter${sel} < 0`,
        forS: p.minDurationS,
        description: "LiteLLM's own count of the key's requests disagrees with the truth.",
      };
    }
  }
}

/** YAML: a string is quoted as JSON (a subset of YAML's double-quoted scalars). */
const q = (s: string) => JSON.stringify(s);

export function prometheusRules(rules: AlertRule[], environment: string | null): string {
  const lines = ["# Inflight alerting rules (generated from its enabled rules): load with rule_files in prometheus.yml.", "groups:", "  - name: inflight", "    rules:"];
  for (const rule of rules.filter((r) => r.enabled)) {
    const e = expression(rule);
    lines.push(
      `      - alert: ${DETECTOR_EVENTS[rule.detector]}`,
      `        expr: ${q(e.expr)}`,
      `        for: ${seconds(e.forS)}`,
      "        labels:",
      `          inflight_rule: ${q(rule.name)}`,
      `          severity: ${rule.detector === "drift" ? "warning" : "critical"}`,
      ...(environment ? [`          environment: ${q(environment)}`] : []),
      "        annotations:",
      `          summary: ${q(`${DETECTOR_LABELS[rule.detector]} on {{ $labels.api_key_alias }} ({{ $labels.hashed_api_key }})`)}`,
      `          description: ${q(e.description)}`,
    );
  }
  return lines.join("\n") + "\n";
}
