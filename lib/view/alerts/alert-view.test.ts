import { describe, expect, it } from "vitest";
import { alertChartHref, evidenceView, nextTry, summaryBody } from "./alert-view";

describe("an alert in the browser", () => {
  it("reads each detector's evidence, leaving out what is not there", () => {
    const ev = evidenceView({
      detector: "multiplied",
      peak: 10,
      limit: 5,
      evidence: { peakSec: 1, secondsOver: 4, multiple: 2, ratio: 2, peakAtMs: 1_000, requestsAtPeak: 25, requests: [{ requestId: "r1", startMs: 0, endMs: 2_000, model: "gpt" }] },
    });
    expect(ev.facts).toEqual([
      { label: "Most requests at once (Inflight's truth)", value: "10" },
      { label: "max_parallel_requests", value: "5" },
      { label: "Requests in flight at the peak", value: "25" },
      { label: "Seconds above the limit", value: "4 s" },
      { label: "Multiple of the limit", value: "2×" },
      { label: "Peak ÷ limit", value: "2" },
    ]);
    expect(ev).toMatchObject({ peakAtMs: 1_000, requestsAtPeak: 25, requests: [{ requestId: "r1", model: "gpt" }] });
    expect(evidenceView({ detector: "stuck", peak: 3, limit: 3, evidence: { rejected: "many" } }).facts.map((f) => f.label)).toEqual(["max_parallel_requests"]);
  });

  it("links to the key's chart around the alert, and says when a pending delivery goes out", () => {
    expect(alertChartHref({ keyHash: "ab", startedSec: 1_000, lastActiveSec: 1_060 }, 10_000_000)).toBe("/keys/ab?range=custom&from=700000&to=1360000");
    expect(nextTry({ status: "pending", nextAttemptMs: 31_000 }, 1_000)).toBe("goes out in 30 s");
    expect(nextTry({ status: "pending", nextAttemptMs: 1_000 }, 1_000)).toBe("going out now");
    expect(nextTry({ status: "sent", nextAttemptMs: 31_000 }, 1_000)).toBeNull();
    expect(summaryBody("Found after it ended: Key k ran 7.")).toBe("Key k ran 7.");
  });
});
