import { describe, expect, it } from "vitest";
import type { RuleView } from "../../api/alerts";
import { RuleInputSchema } from "../../api/alerts";
import { draftOf, paramDefaults, paramNames, paramsLine, ruleBody, scopeLabel } from "./rule-draft";

const rule: RuleView = {
  id: "default-stuck",
  name: "Limiter stuck",
  detector: "stuck",
  scope: { kind: "all" },
  params: { belowRatio: 0.5, gapS: 60, minDurationS: 90 },
  enabled: true,
  builtIn: true,
  createdAtMs: 0,
  updatedAtMs: 0,
};

describe("the rule form's model", () => {
  it("names every threshold of a detector with its default", () => {
    expect(paramNames("drift")).toEqual(["threshold", "gapS", "minDurationS"]);
    expect(paramDefaults("exceeded")).toEqual({ margin: 0, minDurationS: 0 });
  });

  it("shows only thresholds that differ from their default, and round-trips to a body the API accepts", () => {
    const d = draftOf(rule);
    expect(d.params).toEqual({ minDurationS: "90" });
    const body = ruleBody(d);
    expect(body).toEqual({ name: "Limiter stuck", detector: "stuck", scope: { kind: "all" }, params: { minDurationS: 90 }, enabled: true });
    expect(RuleInputSchema.safeParse(body).success).toBe(true);
  });

  it("sends a scope's team or key, and text that is not a number as text (the server says why)", () => {
    const body = ruleBody({ name: "x", detector: "exceeded", scope: "team", scopeValue: " web ", params: { margin: "two", minDurationS: "" }, enabled: false });
    expect(body.scope).toEqual({ kind: "team", teamId: "web" });
    expect(body.params).toEqual({ margin: "two" });
    expect(RuleInputSchema.safeParse(body).success).toBe(false);
  });

  it("says a rule's thresholds and scope in words", () => {
    expect(paramsLine(rule)).toBe("below share of the limit 0.5 · quiet gap bridged 60 s · min duration 90 s");
    expect(scopeLabel({ kind: "key", keyHash: "0123456789abcdef".repeat(4) })).toBe("key 01234567…");
  });
});
