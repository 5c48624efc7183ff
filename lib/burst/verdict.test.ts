import { describe, expect, it } from "vitest";
import { admittedPeak, burstVerdict, type BurstRequest } from "./verdict";

const T0 = Date.UTC(2026, 11, 3, 12);
let seq = 0;
/** A request sent at `at` ms after T0, ending `hold` ms later with `status`. */
const req = (status: number, at = 0, hold = 2000, round = 0): BurstRequest => ({
  id: `r${++seq}`,
  round,
  sentMs: T0 + at,
  headersMs: T0 + at + (status === 429 ? 5 : hold),
  endMs: T0 + at + (status === 429 ? 5 : hold),
  status,
  retryAfter: status === 429 ? "1" : null,
  rateLimitType: status === 429 ? "max_parallel_requests" : null,
  rateLimitHeaders: {},
});
const many = (n: number, status: number, at = 0, hold = 2000) => Array.from({ length: n }, (_, i) => req(status, at + i, hold));

describe("burstVerdict", () => {
  it("PASS: at most the limit at once, the rest refused", () => {
    const v = burstVerdict([...many(5, 200), ...many(10, 429)], 5);
    expect(v).toMatchObject({ verdict: "PASS", sent: 15, admitted: 5, rejected: 10, other: 0, peak: 5 });
    expect(v.peakIds).toHaveLength(5);
  });

  it("FAIL-leaky: more than the limit at once, with who overlapped", () => {
    const v = burstVerdict([...many(7, 200), ...many(8, 429)], 5);
    expect(v).toMatchObject({ verdict: "FAIL-leaky", peak: 7 });
    expect(v.peakIds).toHaveLength(7);
    expect(v.reasons[0]).toMatch(/7 requests were admitted at once against a limit of 5 \(2 over\)/);
  });

  it("FAIL-leaky across rounds: each round kept to the limit, yet two rounds ran together (a window rolled)", () => {
    const first = [...Array.from({ length: 5 }, (_, i) => req(200, i, 3000, 0)), ...Array.from({ length: 10 }, (_, i) => req(429, i, 0, 0))];
    const second = [...Array.from({ length: 5 }, (_, i) => req(200, 1000 + i, 3000, 1)), ...Array.from({ length: 10 }, (_, i) => req(429, 1000 + i, 0, 1))];
    const v = burstVerdict([...first, ...second], 5);
    // 10 at once is 2× the limit, but no round got more than 5 in: leaky, not multiplied.
    expect(v).toMatchObject({ verdict: "FAIL-leaky", peak: 10 });
    expect(v.reasons.join(" ")).toMatch(/10 requests of 2 rounds ran at once.*no round got more than 5 in.*#16011/);
  });

  it("FAIL-multiplied: the peak at a whole multiple of the limit names per-worker counting", () => {
    const v = burstVerdict([...many(20, 200), ...many(20, 429)], 5);
    expect(v).toMatchObject({ verdict: "FAIL-multiplied", peak: 20 });
    expect(v.reasons.join(" ")).toMatch(/about 4× the limit of 5.*shared limiter state/);
  });

  it("FAIL-stuck: fewer admitted than the limit with nothing else in flight", () => {
    expect(burstVerdict([...many(2, 200), ...many(13, 429)], 5)).toMatchObject({ verdict: "FAIL-stuck", admitted: 2 });
    expect(burstVerdict(many(15, 429), 5)).toMatchObject({ verdict: "FAIL-stuck", admitted: 0, peak: 0, peakAtMs: null });
  });

  it("INCONCLUSIVE, with the reason: too few requests, errors, requests too short to overlap", () => {
    expect(burstVerdict(many(5, 200), 5)).toMatchObject({ verdict: "INCONCLUSIVE", reasons: [expect.stringMatching(/5 requests cannot exceed a limit of 5/)] });
    expect(burstVerdict([...many(5, 200), ...many(9, 429), req(500)], 5)).toMatchObject({ verdict: "INCONCLUSIVE", reasons: [expect.stringMatching(/1 requests ended neither.*\(500\)/)] });
    expect(burstVerdict([...many(5, 200), ...many(9, 429), req(0)], 5).reasons[0]).toMatch(/network error/);
    // Ten admitted one after another (each 10 ms, 100 ms apart): never more than one at once.
    const serial = Array.from({ length: 10 }, (_, i) => req(200, i * 100, 10));
    expect(burstVerdict(serial, 5)).toMatchObject({ verdict: "INCONCLUSIVE", reasons: [expect.stringMatching(/too short to overlap/)] });
  });
});

describe("admittedPeak", () => {
  it("counts only admitted requests, an end before a start at the same instant", () => {
    const a = req(200, 0, 100);
    const b = req(200, 100, 100); // starts as a ends
    const c = req(200, 50, 200);
    const r = req(429, 60);
    expect(admittedPeak([a, b, c, r])).toEqual({ peak: 2, atMs: T0 + 50, ids: [a.id, c.id] });
  });

  it("INCONCLUSIVE when an admitted answer was not the mock: it reached the provider", () => {
    const rs = [...many(5, 200), ...many(10, 429)];
    rs[0].mocked = false;
    const v = burstVerdict(rs, 5);
    expect(v.verdict).toBe("INCONCLUSIVE");
    expect(v.reasons[0]).toMatch(/^1 admitted requests were not answered with the mock: they reached the provider/);
  });

  it("INCONCLUSIVE when 429s came from rpm or tpm limits too, not a false FAIL-stuck", () => {
    const rpm = many(10, 429).map((r) => ({ ...r, rateLimitType: "requests" }));
    const v = burstVerdict([...many(3, 200), ...rpm], 5);
    expect(v.verdict).toBe("INCONCLUSIVE");
    expect(v.reasons[0]).toMatch(/^429s came from other limits too \(requests\)/);
  });
});
