import { mulberry32 } from "../traffic/prng";
import { describe, expect, it } from "vitest";
import { formatProxyDate, parseTimestampMs } from "./timestamps";

describe("spend-log timestamps", () => {
  const ms = Date.UTC(2026, 7, 1, 0, 16, 31, 534);
  it.each([
    ["2026-08-01T00:16:31.534+00:00", ms], // newest proxies (raw SQL path)
    ["2026-08-01T00:16:31.534000Z", ms], // older Pydantic serialisation
    ["2026-08-01T00:16:31.534Z", ms],
    ["2026-08-01 00:16:31.534", ms], // no offset: stored as UTC
    ["2026-08-01T00:16:31.5349+00:00", ms],
    ["2026-08-01T02:16:31.534+02:00", ms],
    ["2026-07-31T19:16:31.534-05:00", ms],
    ["2026-08-01T00:16:31+00:00", ms - 534],
    ["2026-08-01T00:16:31.534+0000", ms],
  ])("parses %s", (s, expected) => {
    expect(parseTimestampMs(s)).toBe(expected);
  });

  it.each([null, undefined, 17, "", "yesterday", "2026-08-01", "2026-13-01T00:00:00Z", "2026-08-01T00:16:31.534+00:00junk", "2026-08-01T00:16:31."])(
    "rejects %s",
    (s) => {
      expect(parseTimestampMs(s)).toBeNaN();
    },
  );

  it("agrees with Date.parse on many random instants", () => {
    const random = mulberry32(20261203); // the same instants every run
    for (let i = 0; i < 2000; i++) {
      const t = Math.floor(random() * 4e12);
      const iso = new Date(t).toISOString();
      expect(parseTimestampMs(iso)).toBe(t);
      expect(parseTimestampMs(iso.replace("Z", "+00:00"))).toBe(t);
    }
  });

  it("formats the proxy's date filter in UTC", () => {
    expect(formatProxyDate(ms)).toBe("2026-08-01 00:16:31");
  });
});
