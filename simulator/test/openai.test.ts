import OpenAI, { RateLimitError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { newKey, upstream, waitFor } from "./helpers";

// LiteLLM-specific body fields the official client passes through untouched.
type Extra = { mock_response?: string; mock_delay?: number };

/** A fresh key (limit 1) and the official client on it. */
async function clientOf(sim: TestSimulator): Promise<{ client: OpenAI; hash: string }> {
  const { key, hash } = await newKey(sim, { max_parallel_requests: 1, metadata: { allow_client_mock_response: true } });
  return { client: new OpenAI({ apiKey: key, baseURL: `${sim.url}/v1`, maxRetries: 0 }), hash };
}

describe("the official openai npm client against the simulator (default windowed limiter)", () => {
  let sim: TestSimulator;
  let client: OpenAI;

  beforeAll(async () => {
    sim = await startSimulator([]);
    ({ client } = await clientOf(sim));
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("gets a completion", async () => {
    const c = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      mock_response: "hello from the simulator",
    } as OpenAI.ChatCompletionCreateParamsNonStreaming & Extra);
    expect(c.object).toBe("chat.completion");
    expect(c.choices[0].message.content).toBe("hello from the simulator");
    expect(c.usage?.total_tokens).toBe(30);
  });

  it("streams a completion", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
      mock_response: "one two three four",
    } as OpenAI.ChatCompletionCreateParamsStreaming & Extra);
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("one two three four");
    expect(usage?.completion_tokens).toBe(20);
  });

  it("gets a Responses API answer, output_text included (POST /v1/responses)", async () => {
    const r = await client.responses.create({
      model: "gpt-4o-mini",
      input: "hi",
      mock_response: "hello from the responses route",
    } as OpenAI.Responses.ResponseCreateParamsNonStreaming & Extra);
    expect(r.object).toBe("response");
    expect(r.status).toBe("completed");
    expect(r.output_text).toBe("hello from the responses route");
    expect(r.usage?.total_tokens).toBe(30);
  });

  it("gets a RateLimitError with LiteLLM's headers when over the limit", async () => {
    // A key of its own: the 429's +1 is never released (era B), so this key stays refused until its 60 s
    // window rolls; the other tests' key must not depend on running before this one.
    const { client, hash } = await clientOf(sim);
    const holding = client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hold" }],
      mock_response: "x",
      mock_delay: 1.5,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming & Extra);
    await waitFor("in flight", async () => ((await upstream(sim, hash)).current === 1 ? true : undefined));
    const err = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "over" }], mock_response: "x" } as OpenAI.ChatCompletionCreateParamsNonStreaming & Extra)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(RateLimitError);
    const e = err as RateLimitError;
    expect(e.status).toBe(429);
    expect(e.headers.get("retry-after")).toBe("60");
    expect(e.headers.get("rate_limit_type")).toBe("max_parallel_requests");
    expect(e.headers.get("reset_at")).toMatch(/ UTC$/);
    expect(e.code).toBe("429");
    expect(e.message).toContain(`Rate limit exceeded for api_key: ${hash}. Limit type: max_parallel_requests. Current limit: 1`);
    expect((await holding).choices[0].message.content).toBe("x");
  });
});
