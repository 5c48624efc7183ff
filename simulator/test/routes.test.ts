import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { chat, messages, newKey, request, responses, upstream, waitFor, type Resp } from "./helpers";

const MOCK = { metadata: { allow_client_mock_response: true } };

describe("/v1/messages (Anthropic) and /v1/responses, /responses (OpenAI Responses): the chat path with their shapes", () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startSimulator(["--limiter", "gauge", "--latency", "300-400", "--flush-interval", "0.5"]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  /** The /spend/logs row of `requestId` (a response id, or a call id for failures), once flushed. */
  async function rowOf(requestId: string) {
    expect((await request(sim, "POST", "/sim/spend-logs/flush", { key: null })).status).toBe(200);
    const r = await request(sim, "GET", `/spend/logs?request_id=${encodeURIComponent(requestId)}`);
    expect(r.json).toHaveLength(1);
    return r.json[0];
  }

  function expectSuccessHeaders(r: Resp, model: string): void {
    expect(r.headers["x-litellm-call-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers["x-litellm-model-group"]).toBe(model);
    expect(r.headers["x-ratelimit-api_key-limit-max_parallel_requests"]).toBe("2");
    expect(r.headers["x-ratelimit-api_key-remaining-max_parallel_requests"]).toBe("1");
  }

  it("answers /v1/messages in the Anthropic Messages shape and logs it as anthropic_messages", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 2, ...MOCK });
    const r = await messages(sim, key, { mock_response: "hello from claude" });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      id: expect.stringMatching(/^msg_[0-9a-f]{24}$/),
      type: "message",
      role: "assistant",
      model: "claude-3-5-sonnet",
      content: [{ type: "text", text: "hello from claude" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 20 },
    });
    expectSuccessHeaders(r, "claude-3-5-sonnet");
    expect(r.headers["x-litellm-response-cost"]).toBe("0");
    const row = await rowOf(r.json.id);
    expect(row).toMatchObject({
      request_id: r.json.id,
      call_type: "anthropic_messages",
      api_key: hash,
      status: "success",
      model: "claude-3-5-sonnet",
      custom_llm_provider: "anthropic",
      prompt_tokens: 10,
      completion_tokens: 20,
      total_tokens: 30,
      spend: 0,
    });
    expect(row.metadata.hidden_params.additional_headers["x-ratelimit-api_key-limit-max_parallel_requests"]).toBe(2);
  });

  it("answers /v1/responses and /responses in the Responses shape and logs them as aresponses", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 2, ...MOCK });
    for (const path of ["/v1/responses", "/responses"]) {
      const r = await responses(sim, key, { mock_response: `hello from ${path}` }, path);
      expect(r.status, path).toBe(200);
      expect(r.json).toEqual({
        id: expect.stringMatching(/^resp_[0-9a-f]{48}$/),
        object: "response",
        created_at: expect.any(Number),
        status: "completed",
        model: "gpt-4o-mini",
        output: [
          {
            type: "message",
            id: expect.stringMatching(/^msg_[0-9a-f]{48}$/),
            status: "completed",
            role: "assistant",
            content: [{ type: "output_text", text: `hello from ${path}`, annotations: [] }],
          },
        ],
        usage: { input_tokens: 10, output_tokens: 20, total_tokens: 30 },
      });
      expect(Math.abs(r.json.created_at - Date.now() / 1000)).toBeLessThan(5);
      expectSuccessHeaders(r, "gpt-4o-mini");
      expect(await rowOf(r.json.id)).toMatchObject({ request_id: r.json.id, call_type: "aresponses", api_key: hash, status: "success", total_tokens: 30 });
    }
  });

  it("strips mock_response without allow_client_mock_response and runs a real call capped by the route's own max-tokens field", async () => {
    const { key } = await newKey(sim, {});
    const m = await messages(sim, key, { mock_response: "SECRET", max_tokens: 5, system: "be brief", messages: [{ role: "user", content: "x".repeat(400) }] });
    expect(m.status).toBe(200);
    expect(m.json.content[0].text).not.toBe("SECRET");
    expect(m.json.usage.output_tokens).toBe(5);
    expect(m.json.usage.input_tokens).toBeGreaterThan(100);
    expect(Number(m.headers["x-litellm-response-cost"])).toBeCloseTo(m.json.usage.input_tokens * 3e-6 + 5 * 15e-6, 12);
    const r = await responses(sim, key, { mock_response: "SECRET", max_output_tokens: 7, input: [{ role: "user", content: "y".repeat(400) }] });
    expect(r.json.output[0].content[0].text).not.toBe("SECRET");
    expect(r.json.usage.output_tokens).toBe(7);
    expect(r.json.usage.input_tokens).toBeGreaterThan(100);
  });

  it("refuses stream: true with a 400 before the limiter: no slot, no spend-log row", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 1, ...MOCK });
    for (const r of [await messages(sim, key, { stream: true, mock_response: "x" }), await responses(sim, key, { stream: true, mock_response: "x" }, "/responses")]) {
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ type: "invalid_request_error", param: "stream", code: "400" });
      expect(r.json.error.message).toContain("does not stream");
    }
    expect((await upstream(sim, hash)).peak).toBe(0);
    expect((await messages(sim, key, { mock_response: "x" })).status).toBe(200);
    expect((await request(sim, "POST", "/sim/spend-logs/flush", { key: null })).status).toBe(200);
    const rows = await request(sim, "GET", `/spend/logs?api_key=${key}`);
    expect(rows.json.map((x: { status: string }) => x.status)).toEqual(["success"]);
  });

  it("answers the limiter's 429 on the new routes with the era-C body, and logs it with the route's call_type", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 1, ...MOCK });
    const holding = chat(sim, key, { mock_response: "x", mock_delay: 1.5 });
    await waitFor("in flight", async () => ((await upstream(sim, hash)).current === 1 ? true : undefined));
    for (const [r, callType] of [
      [await messages(sim, key, { mock_response: "x" }), "anthropic_messages"],
      [await responses(sim, key, { mock_response: "x" }), "aresponses"],
    ] as const) {
      expect(r.status).toBe(429);
      expect(Object.keys(r.json)).toEqual(["error"]);
      expect(r.json.error).toMatchObject({ type: "throttling_error", param: null, code: "429" });
      expect(r.json.error.message).toMatch(
        new RegExp(`^Rate limit exceeded for api_key: ${hash}\\. Limit type: max_parallel_requests\\. Current limit: 1, Remaining: 0\\. Limit resets at: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`),
      );
      expect(r.headers["retry-after"]).toBe("60");
      expect(r.headers["rate_limit_type"]).toBe("max_parallel_requests");
      const callId = r.headers["x-litellm-call-id"] as string;
      const row = await rowOf(callId);
      expect(row).toMatchObject({ request_id: callId, call_type: callType, status: "failure", spend: 0, model_id: "", api_base: "" });
      expect(row.metadata.error_information).toMatchObject({ error_code: "429", error_class: "ProxyRateLimitError", llm_provider: "" });
      expect(row.startTime).toBe(row.endTime);
    }
    expect((await holding).status).toBe(200);
  });

  it("checks the key and the model as /chat/completions does", async () => {
    const noKey = await request(sim, "POST", "/v1/messages", { key: null, body: { model: "claude-3-5-sonnet", messages: [] } });
    expect(noKey.status).toBe(401);
    expect(noKey.json.error.message).toBe("Authentication Error, No api key passed in.");
    const { key } = await newKey(sim, { models: ["gpt-4o"] });
    const badModel = await responses(sim, key, { model: "nope" });
    expect(badModel.status).toBe(400);
    expect(badModel.json.error.message).toContain("Invalid model name passed in model=nope");
    const denied = await messages(sim, key, {});
    expect(denied.status).toBe(401);
    expect(denied.json.error.type).toBe("key_model_access_denied");
  });
});
