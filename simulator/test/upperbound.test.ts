import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { newKey, request } from "./helpers";

/** `ProxyException(message=str({"error": msg}), …)`: the client reads the Python dict's repr as the message. */
const overMessage = (field: string, value: number, bound: number) =>
  `{'error': '${field} is over max limit set in config - user_value=${value}; max_value=${bound}'}`;

describe("upperbound_key_generate_params (--upperbound-rpm/-tpm/-max-parallel; _enforce_upperbound_key_params)", () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startSimulator(["--master-key", "sk-test-master", "--upperbound-rpm", "100", "--upperbound-tpm", "5000", "--upperbound-max-parallel", "10"]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("says so at start", () => {
    expect(sim.output()).toContain("upperbound=rpm:100,tpm:5000,max_parallel:10");
  });

  it("/key/update refuses a value above the bound with LiteLLM's 400 and accepts the bound itself", async () => {
    const { hash } = await newKey(sim, { rpm_limit: 50, tpm_limit: 1000, max_parallel_requests: 2 });
    const over = await request(sim, "POST", "/key/update", { body: { key: hash, rpm_limit: 101 } });
    expect(over.status).toBe(400);
    expect(over.json).toEqual({ error: { message: overMessage("rpm_limit", 101, 100), type: "auth_error", param: "None", code: "400" } });
    const tpm = await request(sim, "POST", "/key/update", { body: { key: hash, tpm_limit: 5001 } });
    expect(tpm.json.error.message).toBe(overMessage("tpm_limit", 5001, 5000));
    const mpr = await request(sim, "POST", "/key/update", { body: { key: hash, max_parallel_requests: 11 } });
    expect(mpr.status).toBe(400);
    expect(mpr.json.error.message).toBe(overMessage("max_parallel_requests", 11, 10));
    // Several over their bound: the first in the request model's field order (max_parallel_requests, tpm_limit, rpm_limit).
    const both = await request(sim, "POST", "/key/update", { body: { key: hash, rpm_limit: 500, max_parallel_requests: 50 } });
    expect(both.json.error.message).toBe(overMessage("max_parallel_requests", 50, 10));
    // nothing was written
    expect((await request(sim, "GET", `/key/info?key=${hash}`)).json.info).toMatchObject({ rpm_limit: 50, tpm_limit: 1000, max_parallel_requests: 2 });

    const atBound = await request(sim, "POST", "/key/update", { body: { key: hash, rpm_limit: 100, tpm_limit: 5000, max_parallel_requests: 10 } });
    expect(atBound.status).toBe(200);
    expect(atBound.json).toMatchObject({ rpm_limit: 100, tpm_limit: 5000, max_parallel_requests: 10 });
    // A numeric string is coerced by pydantic before the comparison.
    expect((await request(sim, "POST", "/key/update", { body: { key: hash, rpm_limit: "99" } })).json.rpm_limit).toBe(99);
    // fill_defaults=False: an explicit null is skipped by the check, so it still clears the limit.
    const cleared = await request(sim, "POST", "/key/update", { body: { key: hash, max_parallel_requests: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.json.max_parallel_requests).toBeNull();
  });

  it("/key/generate refuses likewise (handle_exception_on_proxy: internal_server_error) and fills omitted fields with the bound", async () => {
    const over = await request(sim, "POST", "/key/generate", { body: { key_alias: "too-fast", rpm_limit: 101 } });
    expect(over.status).toBe(400);
    expect(over.json).toEqual({ error: { message: overMessage("rpm_limit", 101, 100), type: "internal_server_error", param: "None", code: "400" } });
    expect((await request(sim, "GET", "/key/list?key_alias=too-fast")).json.keys).toEqual([]);

    const filled = await request(sim, "POST", "/key/generate", { body: { key_alias: "defaults", tpm_limit: null } });
    expect(filled.status).toBe(200);
    expect(filled.json).toMatchObject({ rpm_limit: 100, tpm_limit: 5000, max_parallel_requests: 10 });
    const atBound = await request(sim, "POST", "/key/generate", { body: { rpm_limit: 100, max_parallel_requests: 3 } });
    expect(atBound.json).toMatchObject({ rpm_limit: 100, tpm_limit: 5000, max_parallel_requests: 3 });
  });

  it("/key/update validates like FastAPI and finds keys like update_key_fn", async () => {
    const { hash } = await newKey(sim, { max_parallel_requests: 2 });
    const abc = await request(sim, "POST", "/key/update", { body: { key: hash, max_parallel_requests: "abc" } });
    expect(abc.status).toBe(422);
    expect(abc.json).toEqual({
      detail: [
        {
          type: "int_parsing",
          loc: ["body", "max_parallel_requests"],
          msg: "Input should be a valid integer, unable to parse string as an integer",
          input: "abc",
        },
      ],
    });
    const several = await request(sim, "POST", "/key/update", { body: { rpm_limit: 1.5, max_parallel_requests: "abc" } });
    expect(several.status).toBe(422);
    expect(several.json.detail.map((d: { type: string; loc: string[] }) => [d.type, d.loc[1]])).toEqual([
      ["int_parsing", "max_parallel_requests"],
      ["int_from_float", "rpm_limit"],
      ["missing", "key"],
    ]);
    expect(several.json.detail[2]).toEqual({ type: "missing", loc: ["body", "key"], msg: "Field required", input: { rpm_limit: 1.5, max_parallel_requests: "abc" } });
    const nullKey = await request(sim, "POST", "/key/update", { body: { key: null } });
    expect(nullKey.json.detail).toEqual([{ type: "string_type", loc: ["body", "key"], msg: "Input should be a valid string", input: null }]);

    // Unknown key: update_key_fn's 404 names the team (sic), and comes before the upperbound check.
    const unknown = await request(sim, "POST", "/key/update", { body: { key: "f".repeat(64), rpm_limit: 1000 } });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ error: { message: "{'error': 'Team not found, passed team_id=None'}", type: "auth_error", param: "None", code: "404" } });
    const withTeam = await request(sim, "POST", "/key/update", { body: { key: "sk-nope", team_id: "team-a" } });
    expect(withTeam.json.error.message).toBe("{'error': 'Team not found, passed team_id=team-a'}");

    const negative = await request(sim, "POST", "/key/update", { body: { key: hash, max_budget: -1 } });
    expect(negative.status).toBe(400);
    expect(negative.json.error).toEqual({ message: "{'error': 'max_budget cannot be negative. Received: -1.0'}", type: "auth_error", param: "None", code: "400" });
  });
});

describe("without upperbound flags", () => {
  it("accepts any limit and fills nothing in", async () => {
    const sim = await startSimulator([]);
    try {
      const g = await request(sim, "POST", "/key/generate", { body: {} });
      expect(g.json).toMatchObject({ rpm_limit: null, tpm_limit: null, max_parallel_requests: null });
      const u = await request(sim, "POST", "/key/update", { body: { key: g.json.key, rpm_limit: 1_000_000, max_parallel_requests: 10_000 } });
      expect(u.status).toBe(200);
      expect(sim.output()).not.toContain("upperbound=");
    } finally {
      await sim.stop();
    }
  });
});
