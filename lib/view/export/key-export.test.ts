import { describe, expect, it } from "vitest";
import { keyStateFixture } from "../../../tests/support/key-state";
import { concurrencyModel } from "../charts/concurrency-model";
import type { KeyEvidence, KeySeries } from "../../api/keys";
import { evidenceCsv, evidenceJson, exportFileName, seriesCsv, seriesJson } from "./key-export";

const T0 = Date.parse("2026-11-25T14:00:00Z");
const series: KeySeries = {
  key: { id: 1, hash: "ab".repeat(32), alias: "demo-leaky", teamId: "team-a", maxParallelRequests: 5, rpmLimit: 60, tpmLimit: null, inCatalog: true },
  fromMs: T0,
  toMs: T0 + 3000,
  bucketMs: 1000,
  resolution: "1s",
  points: [
    { t: T0, inFlight: 4, admitted: 2, rejected: 0, rejectedRpm: 0, rejectedTpm: 0, rejectedOther: 0 },
    { t: T0 + 1000, inFlight: 7, admitted: 3, rejected: 1, rejectedRpm: 4, rejectedTpm: 0, rejectedOther: 2 },
    { t: T0 + 2000, inFlight: 0, admitted: 0, rejected: 0, rejectedRpm: 0, rejectedTpm: 1, rejectedOther: 0 },
  ],
  limits: [{ fromMs: T0, maxParallelRequests: 5, rpmLimit: 60, tpmLimit: null, source: "proxy" }],
  belief: [{ t: T0 + 1000, believed: 5, rawMin: 5, rawMax: 5, era: "windowed" }],
  live: [],
  provisionalFromMs: T0 + 2000,
  state: keyStateFixture(),
};
const rows = concurrencyModel(series).rows;

const evidence: KeyEvidence = {
  key: { hash: series.key.hash, alias: "demo-leaky" },
  fromMs: T0 + 1000,
  toMs: T0 + 2000,
  peakAtMs: T0 + 1200,
  peak: 2,
  truncated: false,
  requests: [
    { requestId: "req-1", startMs: T0 - 30_000, endMs: T0 + 5000, durationMs: 35_000, status: "success", model: "gpt-4o" },
    { requestId: "req-2", startMs: T0 + 1200, endMs: T0 + 9000, durationMs: 7800, status: null, model: "gpt-4o" },
  ],
};

describe("series export", () => {
  it("CSV: one line per bucket with truth, belief, limit, 429s by limit and the provisional flag", () => {
    expect(seriesCsv(rows).split("\r\n")).toEqual([
      "bucket_start_utc,bucket_start_ms,in_flight_truth,in_flight_litellm_belief,max_parallel_requests,admitted," +
        "rejected_429_max_parallel_requests,rejected_429_rpm,rejected_429_tpm,rejected_429_other,provisional",
      `2026-11-25T14:00:00.000Z,${T0},4,,5,2,0,0,0,0,false`,
      `2026-11-25T14:00:01.000Z,${T0 + 1000},7,5,5,3,1,4,0,2,false`,
      `2026-11-25T14:00:02.000Z,${T0 + 2000},0,,5,0,0,0,1,0,true`,
      "",
    ]);
  });

  it("JSON: the key, range, limit steps and points, times in ISO", () => {
    const j = JSON.parse(seriesJson(series, rows));
    expect(j.key).toEqual({ hash: series.key.hash, alias: "demo-leaky", teamId: "team-a", maxParallelRequests: 5, rpmLimit: 60, tpmLimit: null });
    expect(j.from).toBe("2026-11-25T14:00:00.000Z");
    expect(j.provisionalFrom).toBe("2026-11-25T14:00:02.000Z");
    expect(j.limits).toEqual([{ from: "2026-11-25T14:00:00.000Z", maxParallelRequests: 5, rpmLimit: 60, tpmLimit: null, source: "proxy" }]);
    expect(j.points[1]).toEqual({
      t: "2026-11-25T14:00:01.000Z",
      inFlight: 7,
      believed: 5,
      limit: 5,
      admitted: 3,
      rejected: 1,
      rejectedRpm: 4,
      rejectedTpm: 0,
      rejectedOther: 2,
      provisional: false,
    });
    expect(j.points).toHaveLength(3);
  });
});

describe("evidence export", () => {
  it("CSV: one line per request in flight at the peak", () => {
    expect(evidenceCsv(evidence).split("\r\n")).toEqual([
      "request_id,start_utc,end_utc,duration_ms,model,status",
      "req-1,2026-11-25T13:59:30.000Z,2026-11-25T14:00:05.000Z,35000,gpt-4o,success",
      "req-2,2026-11-25T14:00:01.200Z,2026-11-25T14:00:09.000Z,7800,gpt-4o,",
      "",
    ]);
  });

  it("JSON: key, window, peak instant and the requests with ISO times", () => {
    const j = JSON.parse(evidenceJson(evidence));
    expect(j.peakAt).toBe("2026-11-25T14:00:01.200Z");
    expect(j.peak).toBe(2);
    expect(j.window).toEqual({ from: "2026-11-25T14:00:01.000Z", to: "2026-11-25T14:00:02.000Z" });
    expect(j.requests[0]).toMatchObject({ requestId: "req-1", start: "2026-11-25T13:59:30.000Z", durationMs: 35_000 });
  });
});

describe("exportFileName", () => {
  it("names the key (alias, else hash), what and the range start; safe for any file system", () => {
    expect(exportFileName({ alias: "demo-leaky", hash: "x" }, "series", T0, "csv")).toBe("inflight-demo-leaky-series-20261125T140000Z.csv");
    expect(exportFileName({ alias: null, hash: "ab".repeat(32) }, "evidence", T0, "json")).toBe("inflight-abababababab-evidence-20261125T140000Z.json");
    expect(exportFileName({ alias: "team a/prod", hash: "x" }, "series", T0, "json")).toBe("inflight-team_a_prod-series-20261125T140000Z.json");
  });
});
