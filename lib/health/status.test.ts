import { describe, expect, it } from "vitest";
import { advance, type ProbeResult } from "./status";

const up: ProbeResult = { ok: true, latencyMs: 3, error: null };
const down: ProbeResult = { ok: false, latencyMs: null, error: "ECONNREFUSED" };
const t = (s: number) => new Date(Date.UTC(2026, 10, 25, 0, 0, s));

describe("service state", () => {
  it("tracks since when a service is up or down and when it last answered", () => {
    let s = advance(null, "litellm", up, t(0));
    expect(s).toMatchObject({ ok: true, lastOkAt: t(0), okSince: t(0), downSince: null });
    s = advance(s, "litellm", up, t(5));
    expect(s).toMatchObject({ ok: true, lastOkAt: t(5), okSince: t(0) });
    s = advance(s, "litellm", down, t(10));
    expect(s).toMatchObject({ ok: false, lastOkAt: t(5), okSince: null, downSince: t(10), error: "ECONNREFUSED" });
    s = advance(s, "litellm", down, t(15));
    expect(s).toMatchObject({ ok: false, lastOkAt: t(5), downSince: t(10) });
    s = advance(s, "litellm", up, t(20));
    expect(s).toMatchObject({ ok: true, lastOkAt: t(20), okSince: t(20), downSince: null, error: null });
  });

  it("a service that never answered has no last-answered time", () => {
    const s = advance(null, "redis", down, t(0));
    expect(s.lastOkAt).toBeNull();
    expect(s.downSince).toEqual(t(0));
  });
});
