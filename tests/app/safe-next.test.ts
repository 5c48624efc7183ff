import { describe, expect, it } from "vitest";
import { safeNext } from "../../app/_lib/safe-next";

describe("after sign-in, only a path on this site", () => {
  it("keeps local paths", () => {
    expect(safeNext("/keys/abc?range=1h")).toBe("/keys/abc?range=1h");
    expect(safeNext("/audit")).toBe("/audit");
  });
  it("refuses every way to another origin", () => {
    for (const bad of [undefined, "", "keys", "//evil.com", "/\\evil.com", "/\t/evil.com", "/\n/evil.com", "/%09/evil.com".replace("%09", "\t"), "https://evil.com", "/\u0000x"]) {
      expect(safeNext(bad), JSON.stringify(bad)).toBe("/keys");
    }
  });
});
