/**
 * The simulated model call behind every LLM route: what the client's mock fields ask for (§5, §9.3), else a "real"
 * call with --latency, tokens, cost and --upstream-error-rate failures. Decided once, right after admission.
 */
import type { KeyRow } from "./keys";
import type { ModelInfo } from "./models";
import type { Simulator } from "./simulator";

/** litellm.request_timeout default, what mock_timeout sleeps when the body sets no `timeout`. */
export const DEFAULT_REQUEST_TIMEOUT_S = 6000;

export type OkPlan = { kind: "ok"; delayMs: number; content: string; prompt: number; completion: number; spend: number; mock: boolean };
export type ErrorPlan = { kind: "error"; delayMs: number; status: number; message: string; errorClass: string; timeout: boolean };
export type Plan = OkPlan | ErrorPlan;

/** What the route's body says about the call, in the route's own field names. */
export interface CallShape {
  /** Tokens a real call bills as input. */
  promptTokens: number;
  /** The body's cap on output tokens, if any. */
  maxTokens?: number;
}

const WORDS = "the proxy forwards each request to the model and streams tokens back while the limiter counts what is in flight".split(" ");

function fakeText(tokens: number): string {
  const out: string[] = [];
  for (let i = 0; i < tokens; i++) out.push(WORDS[i % WORDS.length]);
  return out.join(" ");
}

/** Prompt tokens of a message list (chat `messages`, Anthropic `messages`, Responses `input` items): characters/4 + 3 a message. */
export function messageTokens(messages: unknown): number {
  if (!Array.isArray(messages)) return 1;
  let chars = 0;
  for (const m of messages) {
    const c = (m as { content?: unknown })?.content;
    chars += typeof c === "string" ? c.length : JSON.stringify(c ?? "").length;
  }
  return Math.max(1, Math.ceil(chars / 4) + 3 * messages.length);
}

/** A number, or a numeric string as pydantic would coerce it; anything else counts as absent. */
export function numberField(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/**
 * §9.3: mock_response / mock_tool_calls are silently dropped unless the key's metadata allows them (the boolean true);
 * mock_delay and mock_timeout are not control fields and always pass.
 */
function clientMock(row: KeyRow | null, data: Record<string, unknown>): { response?: string; timeout: boolean; delayS?: number } {
  const allowed = row !== null && row.metadata.allow_client_mock_response === true;
  const m = data.mock_response;
  return {
    response: allowed && m !== undefined && m !== null ? (typeof m === "string" ? m : JSON.stringify(m)) : undefined,
    timeout: data.mock_timeout === true,
    delayS: numberField(data.mock_delay),
  };
}

export function makePlan(sim: Simulator, info: ModelInfo, row: KeyRow | null, data: Record<string, unknown>, shape: CallShape): Plan {
  const mock = clientMock(row, data);
  const mockDelayMs = mock.delayS !== undefined && mock.delayS > 0 ? mock.delayS * 1000 : 0;
  if (mock.timeout) {
    // mock_delay applies (mock_timeout is one of its triggers), then mock_completion sleeps the request timeout.
    const timeoutS = numberField(data.timeout) ?? numberField(data.request_timeout) ?? DEFAULT_REQUEST_TIMEOUT_S;
    return {
      kind: "error",
      delayMs: mockDelayMs + timeoutS * 1000,
      status: 408,
      message: "litellm.Timeout: This is a mock timeout error",
      errorClass: "Timeout",
      timeout: true,
    };
  }
  if (mock.response !== undefined) {
    // litellm.mock_completion: fixed usage, no upstream call, no cost.
    return { kind: "ok", delayMs: mockDelayMs, content: mock.response, prompt: 10, completion: 20, spend: 0, mock: true };
  }
  // A "real" call: the simulated model takes --latency and costs tokens.
  const cfg = sim.cfg;
  const random = sim.callRandom;
  const delayMs = cfg.latencyMinMs + random() * (cfg.latencyMaxMs - cfg.latencyMinMs);
  if (cfg.upstreamErrorRate > 0 && random() < cfg.upstreamErrorRate) {
    return random() < 0.5
      ? {
          kind: "error",
          delayMs,
          status: 502,
          message: `litellm.BadGatewayError: OpenAIException - Bad Gateway. Received Model Group=${info.name}\nAvailable Model Group Fallbacks=None`,
          errorClass: "BadGatewayError",
          timeout: true,
        }
      : {
          kind: "error",
          delayMs,
          status: 504,
          message: `litellm.Timeout: OpenAIException - Gateway Timeout. Received Model Group=${info.name}\nAvailable Model Group Fallbacks=None`,
          errorClass: "Timeout",
          timeout: true,
        };
  }
  const prompt = shape.promptTokens;
  let completion = 16 + Math.floor(random() * 240);
  if (shape.maxTokens !== undefined && shape.maxTokens >= 1) completion = Math.min(completion, Math.floor(shape.maxTokens));
  return {
    kind: "ok",
    delayMs,
    content: fakeText(completion),
    prompt,
    completion,
    spend: prompt * info.inPrice + completion * info.outPrice,
    mock: false,
  };
}
