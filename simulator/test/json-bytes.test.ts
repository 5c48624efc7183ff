import { describe, expect, it } from "vitest";
import { jsonBytes } from "../src/http";
import { isoOffset } from "../src/util";

describe("jsonBytes", () => {
  it("is JSON.stringify's text, byte for byte, whatever the shape", () => {
    const bodies: unknown[] = [
      { data: [{ a: 1, b: "ü €" }, null, [1, 2], "x"], total: 3, skipped: undefined, fn: () => 1, nested: { list: [1, { y: undefined }] } },
      [{ request_id: "chatcmpl-1" }, undefined, () => 1, "\u2028"],
      [],
      {},
      { data: [] },
      "plain",
      42,
      null,
      { when: new Date(0), list: [new Date(1000)] },
    ];
    for (const b of bodies) expect(jsonBytes(b).toString("utf8")).toBe(JSON.stringify(b));
  });
});

describe("isoOffset", () => {
  it("formats like toISOString with a +00:00 offset, for nearby and far instants alike", () => {
    const base = Date.UTC(2026, 11, 1, 23, 59, 58, 0);
    const instants = [0, 999, 1000, 86_399_999, base, base + 7, base + 42, base + 999, base + 1000, base + 2001.9, base + 64_000, base + 64_005, base - 64_000];
    for (const ms of instants) expect(isoOffset(ms)).toBe(new Date(Math.floor(ms)).toISOString().slice(0, 23) + "+00:00");
  });
});
