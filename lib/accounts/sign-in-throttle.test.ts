import { describe, expect, it } from "vitest";
import { SignInThrottle } from "./sign-in-throttle";

describe("per-account sign-in throttle", () => {
  it("refuses past the limit within the window, per name, and forgets after the window", () => {
    let now = 0;
    const t = new SignInThrottle(3, 60_000, () => now);
    expect([t.take("a"), t.take("a"), t.take("a"), t.take("a"), t.take("b")]).toEqual([true, true, true, false, true]);
    now = 59_999;
    expect(t.take("a")).toBe(false);
    now = 60_000;
    expect(t.take("a")).toBe(true);
  });
});
