import { describe, expect, it } from "vitest";
import type { JobStatus } from "../runner/repository";
import { summarisePipeline } from "./pipeline";

const NOW = new Date(Date.UTC(2026, 11, 3, 12, 0, 0));
const job = (name: string, stats: Record<string, unknown>): JobStatus => ({ name, holder: "h", lastRunAt: NOW, lastOkAt: NOW, lastError: null, failingSince: null, stats });

describe("summarisePipeline: the live tracker", () => {
  it("is absent without a tracker job (no tracker Redis configured)", () => {
    expect(summarisePipeline([], NOW).tracker).toBeNull();
  });

  it("is live while a writer beat within a minute, quiet after, never before any", () => {
    const at = (agoMs: number) => summarisePipeline([job("tracker", { lastSeenMs: NOW.getTime() - agoMs, sinceMs: NOW.getTime() - 3_600_000, lostTotal: 2, dropped: 1 })], NOW).tracker;
    expect(at(5_000)).toMatchObject({ state: "live", since: new Date(NOW.getTime() - 3_600_000), lostEnds: 2, dropped: 1, errorLogs: "unknown" });
    expect(at(120_000)).toMatchObject({ state: "quiet", lastSeenAt: new Date(NOW.getTime() - 120_000) });
    expect(summarisePipeline([job("tracker", { lastSeenMs: null })], NOW).tracker).toMatchObject({ state: "never", lastSeenAt: null });
  });

  it("says when the proxy's 429s are missing from its spend logs", () => {
    const t = summarisePipeline([job("tracker", { lastSeenMs: NOW.getTime(), errorLogs: { compared: 4, missing: 4, verdict: "missing" } })], NOW).tracker;
    expect(t?.errorLogs).toBe("missing");
  });

  it("carries the agreement with spend logs and what in it needs a look", () => {
    const report = { compared: 200, agreed: 200, rate: 1, startDiffP95Ms: 3, endDiffP95Ms: 8, unlogged: 0, untracked: 9, windowMs: 3_600_000, agreeMs: 1000 };
    const t = summarisePipeline([job("tracker", { lastSeenMs: NOW.getTime(), agreement: report })], NOW).tracker;
    expect(t?.agreement).toMatchObject({ ...report, concern: expect.stringMatching(/9 logged requests the tracker never saw/) });
    expect(summarisePipeline([job("tracker", { lastSeenMs: NOW.getTime() })], NOW).tracker?.agreement).toBeNull();
  });
});
