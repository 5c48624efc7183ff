import { describe, expect, it } from "vitest";
import { initialCursor, lagMs, LIVE_SLACK_MS, nextChunkMs, planStep, settledBefore } from "./cursor";

const t = { maxRequestMs: 900_000, flushLagMs: 30_000, clockSkewMs: 5_000, backfillMs: 86_400_000 };
const now = Date.UTC(2026, 10, 25, 12);

describe("ingest cursor", () => {
  it("a fresh store catches up from the backfill horizon in settled windows", () => {
    const c = initialCursor(now, t);
    expect(c.completeBeforeMs).toBe(now - t.backfillMs);
    const step = planStep(c, now, t, 300_000);
    expect(step.kind).toBe("catch-up");
    expect(step.window).toEqual({ fromMs: now - t.backfillMs, toMs: now - t.backfillMs + 300_000 });
    expect(step.after.completeBeforeMs).toBe(step.window.toMs);
  });

  it("never reads a catch-up window past settled time", () => {
    const settled = settledBefore(now, t);
    const step = planStep({ completeBeforeMs: settled - LIVE_SLACK_MS - 10_000, endWatermarkMs: 0 }, now, t, 3_600_000);
    expect(step.kind).toBe("catch-up");
    expect(step.window.toMs).toBe(settled);
  });

  it("live polls read from C to now newest-ended first and stop at the watermark", () => {
    const c = { completeBeforeMs: settledBefore(now, t) - 1000, endWatermarkMs: now - 40_000 };
    const step = planStep(c, now, t, 300_000);
    expect(step.kind).toBe("live");
    if (step.kind !== "live") return;
    expect(step.window).toEqual({ fromMs: c.completeBeforeMs, toMs: now + t.clockSkewMs });
    expect(step.stopBeforeEndMs).toBe(c.endWatermarkMs);
    const w = now - t.flushLagMs - t.clockSkewMs;
    expect(step.after).toEqual({ completeBeforeMs: w - t.maxRequestMs, endWatermarkMs: w });
    // The window length, so a poll's cost, does not depend on how much history is stored.
    expect(step.window.toMs - step.window.fromMs).toBeLessThanOrEqual(t.maxRequestMs + t.flushLagMs + 2 * t.clockSkewMs + LIVE_SLACK_MS);
  });

  it("windows end on a whole second, as the proxy's date filter reads them: the cursor never passes a row it did not read", () => {
    // A request started at S.490 is left out by end_date "S" (S.000); a window and cursor ending at
    // S.539 would claim it stored. The window ends at S, and the next starts there.
    const odd = now + 7_539;
    const catchUp = planStep({ completeBeforeMs: odd - 3_600_000, endWatermarkMs: 0 }, odd, t, 3_600_000);
    expect(catchUp.kind).toBe("catch-up");
    expect(catchUp.window.toMs % 1000).toBe(0);
    expect(catchUp.after.completeBeforeMs).toBe(catchUp.window.toMs);
    const noSlack = { ...t, maxRequestMs: 0, flushLagMs: 0, clockSkewMs: 0 };
    const live = planStep({ completeBeforeMs: odd - 1_000, endWatermarkMs: odd - 1_000 }, odd, noSlack, 300_000);
    expect(live.kind).toBe("live");
    expect(live.window.toMs).toBe(now + 7_000);
    expect(live.after.completeBeforeMs).toBeLessThanOrEqual(live.window.toMs);
    expect(live.after.endWatermarkMs).toBeLessThanOrEqual(live.window.toMs);
  });

  it("the cursor never moves backwards", () => {
    const c = { completeBeforeMs: now - 100_000, endWatermarkMs: now - 10_000 };
    const step = planStep(c, now, t, 300_000);
    expect(step.after.completeBeforeMs).toBeGreaterThanOrEqual(c.completeBeforeMs);
    expect(step.after.endWatermarkMs).toBeGreaterThanOrEqual(c.endWatermarkMs);
  });

  it("lag is how far the complete data trails now", () => {
    expect(lagMs({ completeBeforeMs: now - 1000_000, endWatermarkMs: now - 35_000 }, now)).toBe(35_000);
  });

  it("sizes catch-up windows to a handful of pages", () => {
    expect(nextChunkMs(300_000, 20)).toBe(150_000);
    expect(nextChunkMs(300_000, 1)).toBe(600_000);
    expect(nextChunkMs(300_000, 5)).toBe(300_000);
    expect(nextChunkMs(3_600_000, 0)).toBe(3_600_000);
    expect(nextChunkMs(10_000, 50)).toBe(10_000);
  });
});
