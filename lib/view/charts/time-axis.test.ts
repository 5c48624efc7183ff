import { describe, expect, it } from "vitest";
import { bucketLabel, formatTick, timeTicks, utcClock, utcStampMs } from "./time-axis";

const at = (iso: string) => Date.parse(iso);

describe("timeTicks", () => {
  it("picks round UTC steps for each preset range", () => {
    const to = at("2026-11-25T14:07:13Z");
    expect(timeTicks(to - 15 * 60_000, to).stepMs).toBe(2 * 60_000);
    expect(timeTicks(to - 3_600_000, to).stepMs).toBe(10 * 60_000);
    expect(timeTicks(to - 86_400_000, to).stepMs).toBe(3 * 3_600_000);
    expect(timeTicks(to - 7 * 86_400_000, to).stepMs).toBe(86_400_000);
    expect(timeTicks(to - 30 * 86_400_000, to).stepMs).toBe(7 * 86_400_000);
  });

  it("keeps ticks inside the range and on multiples of the step", () => {
    const from = at("2026-11-25T14:03:20Z");
    const { ticks, stepMs } = timeTicks(from, from + 15 * 60_000);
    expect(ticks[0]).toBe(at("2026-11-25T14:04:00Z"));
    expect(ticks.every((t) => t % stepMs === 0 && t >= from && t <= from + 15 * 60_000)).toBe(true);
    expect(ticks.length).toBeLessThanOrEqual(8);
  });
});

describe("formatTick", () => {
  it("shows seconds only when ticks are seconds apart, dates for days and midnight", () => {
    expect(formatTick(at("2026-11-25T14:05:30Z"), 10_000)).toBe("14:05:30");
    expect(formatTick(at("2026-11-25T14:05:00Z"), 300_000)).toBe("14:05");
    expect(formatTick(at("2026-11-26T00:00:00Z"), 3 * 3_600_000)).toBe("Nov 26");
    expect(formatTick(at("2026-11-26T00:00:00Z"), 5 * 60_000)).toBe("00:00");
    expect(formatTick(at("2026-11-26T00:00:00Z"), 86_400_000)).toBe("Nov 26");
  });
});

describe("bucketLabel", () => {
  it("names a one-second bucket by its start and a wider one by its span, in UTC", () => {
    expect(bucketLabel(at("2026-11-25T14:05:30Z"), 1000)).toBe("2026-11-25 14:05:30 UTC");
    expect(bucketLabel(at("2026-11-25T14:05:30Z"), 5000)).toBe("2026-11-25 14:05:30–14:05:35 UTC");
    expect(bucketLabel(at("2026-11-25T23:30:00Z"), 3_600_000)).toBe("2026-11-25 23:30:00–2026-11-26 00:30:00 UTC");
  });
});

describe("utcClock", () => {
  it("is the UTC time of day", () => {
    expect(utcClock(at("2026-11-25T04:05:06.125Z"))).toBe("04:05:06 UTC");
    expect(utcClock(at("2026-11-25T04:05:06.125Z"), true)).toBe("04:05:06.125 UTC");
    expect(utcStampMs(at("2026-11-25T04:05:06.125Z"))).toBe("2026-11-25 04:05:06.125 UTC");
  });
});
