import { describe, expect, it } from "vitest";
import { normalizeRow } from "./normalize";

const base = {
  request_id: "r1",
  api_key: "a".repeat(64),
  startTime: "2026-11-25T01:00:00.000+00:00",
  endTime: "2026-11-25T01:00:02.500+00:00",
  status: "success",
  model: "gpt-4o",
  metadata: {},
};

describe("normalizeRow", () => {
  it("keeps what concurrency needs", () => {
    expect(normalizeRow(base)).toEqual({
      requestId: "r1",
      keyHash: "a".repeat(64),
      startMs: Date.UTC(2026, 10, 25, 1),
      endMs: Date.UTC(2026, 10, 25, 1) + 2500,
      status: "success",
      rejected: false,
      model: "gpt-4o",
    });
  });

  it("marks limiter 429 rows (failure, start == end, error code 429) as rejected", () => {
    const row = { ...base, status: "failure", endTime: base.startTime, metadata: { error_information: { error_code: "429" } } };
    expect(normalizeRow(row)).toMatchObject({ rejected: true });
    // metadata as a JSON string (older proxies)
    expect(normalizeRow({ ...row, metadata: JSON.stringify(row.metadata) })).toMatchObject({ rejected: true });
    // a failure that is not a 429, or that ran, is not a limiter rejection
    expect(normalizeRow({ ...row, metadata: { error_information: { error_code: "401" } } })).toMatchObject({ rejected: false });
    expect(normalizeRow({ ...row, endTime: base.endTime })).toMatchObject({ rejected: false });
  });

  it("names what is wrong with a malformed row", () => {
    expect(normalizeRow(null)).toBe("missing_request_id");
    expect(normalizeRow({ ...base, request_id: "" })).toBe("missing_request_id");
    expect(normalizeRow({ ...base, api_key: "" })).toBe("missing_key");
    expect(normalizeRow({ ...base, startTime: null })).toBe("bad_start_time");
    expect(normalizeRow({ ...base, endTime: "soon" })).toBe("bad_end_time");
    expect(normalizeRow({ ...base, endTime: "2026-11-25T00:59:59.000+00:00" })).toBe("end_before_start");
  });

  it("accepts null status and a missing model", () => {
    const { status: _s, model: _m, ...rest } = base;
    expect(normalizeRow({ ...rest, status: null })).toMatchObject({ status: null, model: "" });
  });
});
