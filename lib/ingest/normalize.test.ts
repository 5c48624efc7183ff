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
      limitType: null,
      rejected: false,
      model: "gpt-4o",
    });
  });

  const info = (message: string) => ({ error_information: { error_code: "429", error_class: "ProxyRateLimitError", error_message: message, llm_provider: "", traceback: "" } });
  const proxy429 = (message: string) => ({ ...base, status: "failure", endTime: base.startTime, metadata: info(message) });
  const MPR = `429: Rate limit exceeded for api_key: ${"a".repeat(64)}. Limit type: max_parallel_requests. Current limit: 2, Remaining: 0. Limit resets at: 2026-11-25 01:01:00 UTC`;
  const RPM = `429: Rate limit exceeded for api_key: ${"a".repeat(64)}. Limit type: requests. Current limit: 40, Remaining: 0. Limit resets at: 2026-11-25 01:01:00 UTC`;

  it("classifies proxy-side 429 rows (failure, start == end, error code 429) by limit; only max_parallel_requests is a rejection", () => {
    expect(normalizeRow(proxy429(MPR))).toMatchObject({ limitType: "max_parallel_requests", rejected: true });
    expect(normalizeRow(proxy429(RPM))).toMatchObject({ limitType: "rpm", rejected: false });
    expect(normalizeRow(proxy429(RPM.replace("requests.", "tokens.")))).toMatchObject({ limitType: "tpm", rejected: false });
    expect(normalizeRow(proxy429(RPM.replace("api_key: " + "a".repeat(64), "team: team-a")))).toMatchObject({ limitType: "team_rpm", rejected: false });
    expect(normalizeRow(proxy429("429: LiteLLM Rate Limit Handler for rate limit type = key. Crossed TPM / RPM / Max Parallel Request Limit."))).toMatchObject({
      limitType: "legacy",
      rejected: false,
    });
    // A 429 without a message (or an old proxy's bare code) is still a proxy-side 429, of an unknown limit.
    expect(normalizeRow({ ...proxy429(""), metadata: { error_information: { error_code: 429 } } })).toMatchObject({ limitType: "unknown", rejected: false });
  });

  it("reads metadata given as a JSON string (older proxies)", () => {
    expect(normalizeRow({ ...proxy429(MPR), metadata: JSON.stringify(info(MPR)) })).toMatchObject({ limitType: "max_parallel_requests", rejected: true });
    expect(normalizeRow({ ...proxy429(RPM), metadata: JSON.stringify(info(RPM)) })).toMatchObject({ limitType: "rpm", rejected: false });
    expect(normalizeRow({ ...proxy429(RPM), metadata: "{not json error_information" })).toMatchObject({ limitType: null, rejected: false });
  });

  it("gives no limit type to rows that are not proxy-side 429s: another failure, or a 429 from upstream after the request ran", () => {
    expect(normalizeRow({ ...proxy429(MPR), metadata: { error_information: { error_code: "401", error_message: MPR } } })).toMatchObject({
      limitType: null,
      rejected: false,
    });
    expect(normalizeRow({ ...proxy429(MPR), endTime: base.endTime })).toMatchObject({ limitType: null, rejected: false });
    expect(normalizeRow({ ...proxy429(MPR), status: "success" })).toMatchObject({ limitType: null, rejected: false });
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
