import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { chat, newKey, request, upstream, waitFor, ymdHms } from "./helpers";

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = Date.now();
  const v = await f();
  return [v, Date.now() - t];
}

describe("mock_response stripping (§9.3), mock_delay, mock_timeout, streaming, real calls", () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startSimulator(["--limiter", "gauge", "--latency", "1000-1100", "--flush-interval", "1"]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("strips mock_response unless metadata.allow_client_mock_response is the boolean true: the call then runs for real", async () => {
    for (const metadata of [{}, { allow_client_mock_response: "true" }, { allow_client_mock_response: 1 }]) {
      const { key, hash } = await newKey(sim, { metadata });
      const [r, ms] = await timed(() => chat(sim, key, { mock_response: "SECRET", messages: [{ role: "user", content: "x".repeat(400) }] }));
      expect(r.status).toBe(200);
      expect(r.json.choices[0].message.content).not.toBe("SECRET");
      expect(ms).toBeGreaterThanOrEqual(990);
      expect(r.json.usage.prompt_tokens).toBeGreaterThan(100);
      expect(Number(r.headers["x-litellm-response-cost"])).toBeGreaterThan(0);
      expect((await upstream(sim, hash)).peak).toBe(1);
    }
    const { key } = await newKey(sim, { metadata: { allow_client_mock_response: true } });
    const r = await chat(sim, key, { mock_response: "SECRET" });
    // The mock answered, not a simulated model call (its usage and cost, not an upper bound on its duration).
    expect(r.json.choices[0].message.content).toBe("SECRET");
    expect(r.json.usage).toEqual({ completion_tokens: 20, prompt_tokens: 10, total_tokens: 30 });
    expect(r.headers["x-litellm-response-cost"]).toBe("0");
  });

  it("applies mock_delay only with mock_response or mock_timeout", async () => {
    const { key } = await newKey(sim, { metadata: { allow_client_mock_response: true } });
    // An hour of mock_delay: were it applied, the call would outlive the test's timeout. It answers, so it was ignored.
    const [alone, t1] = await timed(() => chat(sim, key, { mock_delay: 3600 }));
    expect(alone.status).toBe(200);
    expect(t1).toBeGreaterThanOrEqual(990); // a real call's latency (1000-1100 ms)
    const [withMock, t2] = await timed(() => chat(sim, key, { mock_response: "x", mock_delay: 0.8 }));
    expect(withMock.json.choices[0].message.content).toBe("x");
    expect(t2).toBeGreaterThanOrEqual(790);
  });

  it("caps a real call's completion tokens at max_tokens and bills them", async () => {
    const { key } = await newKey(sim, {});
    const r = await chat(sim, key, { max_tokens: 5, model: "gpt-4o" });
    expect(r.json.usage.completion_tokens).toBe(5);
    expect(Number(r.headers["x-litellm-response-cost"])).toBeCloseTo(r.json.usage.prompt_tokens * 2.5e-6 + 5 * 10e-6, 12);
  });

  it("fails mock_timeout after the request's timeout with a 408 and writes a failure row", async () => {
    const { key, hash } = await newKey(sim, { max_parallel_requests: 2, metadata: { allow_client_mock_response: true } });
    const [r, ms] = await timed(() => chat(sim, key, { mock_timeout: true, timeout: 0.6 }));
    expect(ms).toBeGreaterThanOrEqual(590);
    expect(r.status).toBe(408);
    expect(r.json).toEqual({ error: { message: "litellm.Timeout: This is a mock timeout error", type: null, param: null, code: "408" } });
    expect((await upstream(sim, hash)).current).toBe(0);
    const q = new URLSearchParams({ start_date: ymdHms(Date.now() - 60_000), end_date: ymdHms(Date.now() + 60_000), api_key: hash });
    const row = await waitFor("timeout row", async () => {
      const p = await request(sim, "GET", `/spend/logs/ui?${q}`);
      return p.json.data[0];
    });
    expect(row.status).toBe("failure");
    expect(row.metadata.error_information).toMatchObject({ error_code: "408", error_class: "Timeout" });
    expect(row.request_duration_ms).toBeGreaterThanOrEqual(590);
    // without --stuck-on-timeout the slot was released: both slots are free again
    const both = await Promise.all([chat(sim, key, { mock_response: "a", mock_delay: 0.3 }), chat(sim, key, { mock_response: "b", mock_delay: 0.3 })]);
    expect(both.map((x) => x.status)).toEqual([200, 200]);
  });

  it("streams SSE chunks that end with data: [DONE], for mock and real calls", async () => {
    const { key } = await newKey(sim, { max_parallel_requests: 3, metadata: { allow_client_mock_response: true } });
    for (const body of [{ mock_response: "streamed mock text" }, {}]) {
      const r = await chat(sim, key, { ...body, stream: true, stream_options: { include_usage: true } });
      expect(r.status).toBe(200);
      expect(r.headers["content-type"]).toContain("text/event-stream");
      expect(r.headers["x-ratelimit-api_key-limit-max_parallel_requests"]).toBe("3");
      const events = r.text.split("\n\n").filter(Boolean);
      expect(events.every((e) => e.startsWith("data: "))).toBe(true);
      expect(events[events.length - 1]).toBe("data: [DONE]");
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
      expect(chunks[0].choices[0].delta.role).toBe("assistant");
      expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.id === chunks[0].id)).toBe(true);
      const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
      if ("mock_response" in body) expect(text).toBe("streamed mock text");
      else expect(text.length).toBeGreaterThan(10);
      expect(chunks.filter((c) => c.choices[0]?.finish_reason === "stop")).toHaveLength(1);
      expect(chunks[chunks.length - 1].usage.total_tokens).toBeGreaterThan(0);
    }
  });

  it("refuses unknown models with 400", async () => {
    const { key } = await newKey(sim, {});
    const r = await chat(sim, key, { model: "no-such-model" });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain("Invalid model name passed in model=no-such-model");
  });
});
