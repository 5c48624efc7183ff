import { describe, expect, it } from "vitest";
import { accessFromGroups, groupsClaim, teamGroupMap } from "./oidc-groups";
import { canSeeTeam, parseTeams, serializeTeams } from "./roles";

const rules = (viewerGroups: string[] = []) => ({ adminGroups: ["ops"], teamGroups: teamGroupMap(["pay = team-pay", "search=team-search"]), viewerGroups });

describe("groups to access", () => {
  it("an admin group wins: admin of every team", () => {
    expect(accessFromGroups(["pay", "ops"], rules())).toEqual({ role: "admin", teams: null });
  });
  it("team groups make a viewer of those teams only, sorted and once", () => {
    expect(accessFromGroups(["search", "pay", "pay"], rules(["all"]))).toEqual({ role: "viewer", teams: ["team-pay", "team-search"] });
  });
  it("no matching group: a viewer of every team, unless viewer groups are set", () => {
    expect(accessFromGroups(["misc"], rules())).toEqual({ role: "viewer", teams: null });
    expect(accessFromGroups(["all"], rules(["all"]))).toEqual({ role: "viewer", teams: null });
    expect(accessFromGroups(["misc"], rules(["all"]))).toEqual({ refused: "your account is in none of the groups allowed to use Inflight" });
    expect(accessFromGroups([], rules(["all"]))).toHaveProperty("refused");
  });
  it("reads the groups claim as providers send it", () => {
    expect(groupsClaim(["a", 3, "b"])).toEqual(["a", "b"]);
    expect(groupsClaim("a, b,")).toEqual(["a", "b"]);
    expect(groupsClaim(undefined)).toEqual([]);
  });
});

describe("teams", () => {
  it("a team-limited principal sees only its teams' keys, never a key without a team", () => {
    expect(canSeeTeam({ teams: null }, null)).toBe(true);
    expect(canSeeTeam({ teams: ["a"] }, "a")).toBe(true);
    expect(canSeeTeam({ teams: ["a"] }, "b")).toBe(false);
    expect(canSeeTeam({ teams: ["a"] }, null)).toBe(false);
  });
  it("stores teams as a sorted JSON array; an unreadable column sees nothing rather than everything", () => {
    expect(serializeTeams(["b", "a", "b"])).toBe('["a","b"]');
    expect(parseTeams(serializeTeams(["b", "a"]))).toEqual(["a", "b"]);
    expect(parseTeams(null)).toBeNull();
    expect(parseTeams("{not json")).toEqual([]);
  });
});
