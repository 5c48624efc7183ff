import { describe, expect, it } from "vitest";
import { awaitingSpendLogs, SPEND_LOG_WAIT_BOUND_MS, withSpendLogs, type BurstReport } from "./report";
import { spendLogView } from "./spend-view";
import { burstVerdict, type BurstRequest } from "./verdict";

const T0 = Date.UTC(2026, 11, 3, 12);
const req = (i: number, status: number, at: number, hold: number): BurstRequest => ({
  id: `c${i}`,
  round: 0,
  sentMs: T0 + at,
  headersMs: T0 + at + hold,
  endMs: T0 + at + hold,
  status,
  retryAfter: null,
  rateLimitType: null,
  rateLimitHeaders: {},
});

function report(requests: BurstRequest[], limit: number): BurstReport {
  const v = burstVerdict(requests, limit);
  return { ...v, client: { verdict: v.verdict, reasons: v.reasons }, keyHash: "h", keyAlias: null, limit, n: requests.length, holdS: 2, rounds: 1, everyS: 0, target: "twin", model: "m", startedMs: T0, endedMs: T0 + 3000, requests, spendLogs: null };
}

/** The proxy's rows for these requests: its clock `offset` ms later, each held `hold` ms by it. */
const rows = (rs: BurstRequest[], offset: number, hold?: number) => rs.map((r) => ({ callId: r.id, startMs: r.sentMs + offset, endMs: r.sentMs + offset + (hold ?? r.endMs - r.sentMs - 20) }));

describe("the spend logs' view of a burst", () => {
  const admitted = [0, 1, 2].map((i) => req(i, 200, i, 2000));
  const refused = [3, 4, 5, 6].map((i) => req(i, 429, i, 5));

  it("counts only the run's admitted requests, and is complete once each has its row", () => {
    const other = { callId: "someone-else", startMs: T0, endMs: T0 + 5000 };
    const partial = spendLogView([...admitted, ...refused], [...rows(admitted.slice(0, 2), 40), other], "awaiting");
    expect(partial).toMatchObject({ state: "awaiting", expected: 3, found: 2, peak: 2, offsetMs: 40 });
    const all = spendLogView([...admitted, ...refused], rows(admitted, 40), "awaiting");
    expect(all).toMatchObject({ state: "complete", expected: 3, found: 3, peak: 3, peakIds: ["c0", "c1", "c2"] });
  });

  it("confirms a verdict both views agree on", () => {
    const r = report([...admitted, ...refused], 3);
    const final = withSpendLogs(r, spendLogView(r.requests, rows(admitted, 40), "awaiting"));
    expect(final.verdict).toBe("PASS");
    expect(final.reasons.at(-1)).toBe("the proxy's spend logs agree: 3 admitted requests ran at once by its own clock");
  });

  it("is INCONCLUSIVE when the views disagree on whether the limit was passed, naming the clocks' offset", () => {
    // The client saw 3 at once against a limit of 2; by the proxy's clock they never overlapped.
    const r = report([...admitted, ...refused], 2);
    expect(r.verdict).toBe("FAIL-leaky");
    const view = spendLogView(r.requests, admitted.map((q, i) => ({ callId: q.id, startMs: T0 + 4000 + i * 600, endMs: T0 + 4000 + i * 600 + 500 })), "awaiting");
    const final = withSpendLogs(r, view);
    expect(final.verdict).toBe("INCONCLUSIVE");
    expect(final.reasons[0]).toMatch(/^the client saw 3 admitted requests at once and the proxy's spend logs 1, against a limit of 2: the two views disagree .*reads 4599 ms off/);
    expect(final.client.verdict).toBe("FAIL-leaky");
  });

  it("keeps the verdict while rows are missing, saying the proxy could not confirm it", () => {
    const r = report([...admitted, ...refused], 3);
    const final = withSpendLogs(r, { ...spendLogView(r.requests, rows(admitted.slice(0, 1), 0), "awaiting"), state: "partial" });
    expect(final.verdict).toBe("PASS");
    expect(final.reasons.at(-1)).toBe("the proxy's spend logs hold 1 of the 3 admitted requests, so its clock cannot confirm this");
  });

  it("awaits the proxy's view only for a report with admitted requests, until its waiter must have given up", () => {
    const r = report([...admitted, ...refused], 3);
    expect(awaitingSpendLogs(r, r.endedMs + 1000)).toBe(true);
    expect(awaitingSpendLogs(r, r.endedMs + SPEND_LOG_WAIT_BOUND_MS)).toBe(false);
    expect(awaitingSpendLogs(withSpendLogs(r, spendLogView(r.requests, rows(admitted, 0), "awaiting")), r.endedMs + 1000)).toBe(false);
    expect(awaitingSpendLogs(report(refused, 3), refused[0].endMs)).toBe(false);
  });
});
