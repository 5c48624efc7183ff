import { describe, expect, it } from "vitest";
import { formErrors } from "./form-errors";

describe("a 422 message split per field", () => {
  it("puts each part by its field, says a repeated path once, and keeps the rest for the form", () => {
    const got = formErrors("name: name: give the rule a name; params.margin: params.margin: Too small; scope.teamId: teamId: a team id; A silence needs a rule", [
      "name",
      "params.margin",
      "scope",
    ], { scope: "scope" });
    expect(got.byField).toEqual({ name: "give the rule a name", "params.margin": "Too small", scope: "teamId: a team id" });
    expect(got.form).toEqual(["A silence needs a rule"]);
  });

  it("a path no input owns goes to the form whole", () => {
    expect(formErrors("detector: a built-in rule keeps its detector", ["name"])).toEqual({ byField: {}, form: ["detector: a built-in rule keeps its detector"] });
  });
});
