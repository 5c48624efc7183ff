/**
 * POST /chat/completions and /v1/chat/completions: auth, client mock-field stripping (§9.3), the limiter
 * (§2.2-§2.6), a simulated model call (mock_response / mock_delay / mock_timeout / real latency), SSE streaming,
 * the ground-truth tracker and the spend-log row written when the request ends (§4.3, §9.7).
 */
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Principal } from "./auth";
import { ProxyError, parseJsonObject } from "./http";
import type { Admitted, KeyLimits, Outcome } from "./limiter";
import { MODEL_BY_NAME, type ModelInfo } from "./models";
import type { LiveRow } from "./spendlogs";
import type { Simulator } from "./simulator";

/** litellm.request_timeout default, what mock_timeout sleeps when the body sets no `timeout`. */
export const DEFAULT_REQUEST_TIMEOUT_S = 6000;

const WORDS = "the proxy forwards each request to the model and streams tokens back while the limiter counts what is in flight".split(" ");

function fakeText(tokens: number): string {
  const out: string[] = [];
  for (let i = 0; i < tokens; i++) out.push(WORDS[i % WORDS.length]);
  return out.join(" ");
}

function promptTokens(messages: unknown): number {
  if (!Array.isArray(messages)) return 1;
  let chars = 0;
  for (const m of messages) {
    const c = (m as { content?: unknown })?.content;
    chars += typeof c === "string" ? c.length : JSON.stringify(c ?? "").length;
  }
  return Math.max(1, Math.ceil(chars / 4) + 3 * messages.length);
}

function numberField(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

type Plan =
  | { kind: "ok"; delayMs: number; content: string; prompt: number; completion: number; spend: number; mock: boolean }
  | { kind: "error"; delayMs: number; status: number; message: string; errorClass: string; timeout: boolean };

export async function handleChat(sim: Simulator, req: IncomingMessage, res: ServerResponse, bodyText: string, p: Principal): Promise<void> {
  const data = parseJsonObject(bodyText);
  const model = data.model;
  const info = typeof model === "string" ? MODEL_BY_NAME.get(model) : undefined;
  if (!info) {
    throw new ProxyError(
      400,
      `Invalid model name passed in model=${typeof model === "string" ? model : "None"}. Call \`/v1/models\` to view available models for your key.`,
      "None",
      "None",
    );
  }
  const row = p.row;
  if (row && row.models.length > 0 && !row.models.includes(info.name) && !row.models.includes("all-proxy-models")) {
    throw new ProxyError(
      401,
      `Authentication Error, key not allowed to access model. This key can only access models=[${row.models.map((m) => `'${m}'`).join(", ")}]. Tried to access ${info.name}`,
      "key_model_access_denied",
      "model",
    );
  }

  // §9.3: mock_response / mock_tool_calls are silently dropped unless the key's metadata allows them (boolean true).
  const allowMock = row !== null && row.metadata.allow_client_mock_response === true;
  const mockResponse =
    allowMock && data.mock_response !== undefined && data.mock_response !== null
      ? typeof data.mock_response === "string"
        ? data.mock_response
        : JSON.stringify(data.mock_response)
      : undefined;
  const mockTimeout = data.mock_timeout === true;
  const mockDelayS = numberField(data.mock_delay);
  const stream = data.stream === true;
  const includeUsage = stream && (data.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const maxTokens = numberField(data.max_completion_tokens) ?? numberField(data.max_tokens);

  const worker = sim.nextWorker();
  const callId = crypto.randomUUID();
  const startMs = Date.now();
  const limits: KeyLimits = {
    hash: p.hash,
    rpm: row?.rpm_limit ?? null,
    tpm: row?.tpm_limit ?? null,
    mpr: row?.max_parallel_requests ?? null,
  };

  const verdict = await sim.limiter.admit(worker, limits);
  if (!verdict.ok) {
    const e = verdict.error;
    const now = Date.now();
    sim.spendDelay.push(
      failureRow(sim, p, info, callId, now, now, e.status, verdict.errorClass, `${e.status}: ${e.message}`, "", false),
    );
    throw new ProxyError(e.status, e.message, e.type, e.param, { ...e.headers, ...sim.customHeaders(p, callId) });
  }

  // Admitted: the request now counts as upstream concurrency until it ends, whatever the reason.
  sim.upstream.inc(p.hash);
  const plan = makePlan(sim, info, data, { mockResponse, mockTimeout, mockDelayS, maxTokens });
  await serve(sim, req, res, { p, info, callId, startMs, admitted: verdict, plan, stream, includeUsage });
}

function makePlan(
  sim: Simulator,
  info: ModelInfo,
  data: Record<string, unknown>,
  o: { mockResponse?: string; mockTimeout: boolean; mockDelayS?: number; maxTokens?: number },
): Plan {
  const mockDelayMs = o.mockDelayS !== undefined && o.mockDelayS > 0 ? o.mockDelayS * 1000 : 0;
  if (o.mockTimeout) {
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
  if (o.mockResponse !== undefined) {
    // litellm.mock_completion: fixed usage, no upstream call, no cost.
    return { kind: "ok", delayMs: mockDelayMs, content: o.mockResponse, prompt: 10, completion: 20, spend: 0, mock: true };
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
  const prompt = promptTokens(data.messages);
  let completion = 16 + Math.floor(random() * 240);
  if (o.maxTokens !== undefined && o.maxTokens >= 1) completion = Math.min(completion, Math.floor(o.maxTokens));
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

interface Ctx {
  p: Principal;
  info: ModelInfo;
  callId: string;
  startMs: number;
  admitted: Admitted;
  plan: Plan;
  stream: boolean;
  includeUsage: boolean;
}

function serve(sim: Simulator, req: IncomingMessage, res: ServerResponse, c: Ctx): Promise<void> {
  return new Promise<void>((resolve) => {
    const { p, info, callId, startMs, plan } = c;
    const responseId = `chatcmpl-${crypto.randomUUID()}`;
    const created = Math.floor(startMs / 1000);
    const timers: NodeJS.Timeout[] = [];
    let ended = false;
    let completionStartMs: number | null = null;

    /** The request ends: ground truth, spend-log row, then the limiter's release; resolves when the client may be answered. */
    const end = (outcome: Outcome, rowFor: () => LiveRow, completionTokens: number, totalTokens: number): Promise<void> => {
      if (ended) return Promise.resolve();
      ended = true;
      for (const t of timers) clearTimeout(t);
      sim.upstream.dec(p.hash);
      sim.spendDelay.push(rowFor());
      const released = c.admitted.release(outcome, completionTokens, totalTokens);
      released.then(resolve, resolve);
      return released;
    };

    // The client went away before the response completed: the simulated upstream call is cancelled.
    const disconnected = () =>
      void end(
        "disconnect",
        () => failureRow(sim, p, c.info, callId, startMs, Date.now(), 499, "ClientDisconnect", "Client disconnected before the response completed", c.info.provider, true),
        0,
        0,
      );
    /** True (and the request ended) if the client is gone; timers call this before doing anything. */
    const gone = (): boolean => {
      if (ended) return true;
      if (res.destroyed || req.destroyed && !req.complete) {
        disconnected();
        return true;
      }
      return false;
    };
    res.on("close", () => {
      if (!ended) disconnected();
    });
    // It may already have left while the request waited for the limiter ('close' fired before we listened).
    if (gone()) return;

    const headers = (extra: Record<string, string>) => ({ ...sim.customHeaders(p, callId), ...c.admitted.headers(), ...extra });

    if (plan.kind === "error") {
      timers.push(
        setTimeout(() => {
          if (gone()) return;
          const now = Date.now();
          const err = new ProxyError(plan.status, plan.message, null, null);
          const text = err.body();
          const limiterOutcome: Outcome = plan.timeout && sim.cfg.stuckOnTimeout ? "stuck" : "failure";
          void end(
            limiterOutcome,
            () => failureRow(sim, p, info, callId, startMs, now, plan.status, plan.errorClass, plan.message, info.provider, true),
            0,
            0,
          ).then(() => {
            if (res.destroyed) return;
            res.writeHead(plan.status, headers({ "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) }));
            res.end(text);
          });
        }, plan.delayMs),
      );
      return;
    }

    const usage = { completion_tokens: plan.completion, prompt_tokens: plan.prompt, total_tokens: plan.prompt + plan.completion };
    const successRow = (): LiveRow =>
      successLiveRow(sim, p, info, responseId, callId, startMs, Date.now(), completionStartMs, usage, plan.spend, c.admitted.headers(), plan.mock);
    const costHeaders = (): Record<string, string> => ({
      "x-litellm-response-cost": String(plan.spend),
      "x-litellm-model-id": info.modelId,
      "x-litellm-model-api-base": info.apiBase,
      "x-litellm-model-group": info.name,
      "x-litellm-response-duration-ms": String(Date.now() - startMs),
      "x-litellm-attempted-retries": "0",
      "x-litellm-attempted-fallbacks": "0",
    });

    if (!c.stream) {
      timers.push(
        setTimeout(() => {
          if (gone()) return;
          completionStartMs = Date.now();
          const body = JSON.stringify({
            id: responseId,
            created,
            model: info.name,
            object: "chat.completion",
            system_fingerprint: null,
            choices: [
              {
                finish_reason: "stop",
                index: 0,
                message: { content: plan.content, role: "assistant", tool_calls: null, function_call: null },
              },
            ],
            usage,
          });
          const h = headers({ ...costHeaders(), "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
          void end("success", successRow, plan.completion, usage.total_tokens).then(() => {
            if (res.destroyed) return;
            res.writeHead(200, h);
            res.end(body);
          });
        }, plan.delayMs),
      );
      return;
    }

    // Streaming: SSE chunks, a finish chunk, an optional usage chunk, then `data: [DONE]`.
    const pieces = splitContent(plan.content, plan.mock ? 8 : Math.min(20, Math.max(1, plan.completion)));
    const chunk = (delta: Record<string, unknown>, finish: string | null, extra?: Record<string, unknown>) =>
      `data: ${JSON.stringify({
        id: responseId,
        created,
        model: info.name,
        object: "chat.completion.chunk",
        system_fingerprint: null,
        choices: [{ index: 0, delta, finish_reason: finish }],
        ...extra,
      })}\n\n`;
    const ttft = plan.mock ? plan.delayMs : plan.delayMs * 0.25;
    const gap = plan.mock ? 0 : (plan.delayMs - ttft) / pieces.length;
    let sent = 0;
    const sendNext = () => {
      if (gone()) return;
      if (sent === 0) {
        completionStartMs = Date.now();
        res.writeHead(200, headers({ ...costHeaders(), "content-type": "text/event-stream", "cache-control": "no-cache" }));
        res.write(chunk({ role: "assistant", content: pieces[0] }, null));
        sent = 1;
      } else if (sent < pieces.length) {
        res.write(chunk({ content: pieces[sent] }, null));
        sent++;
      }
      if (sent < pieces.length) {
        if (gap > 0) timers.push(setTimeout(sendNext, gap));
        else sendNext();
        return;
      }
      let tail = chunk({}, "stop");
      if (c.includeUsage) tail += `data: ${JSON.stringify({ id: responseId, created, model: info.name, object: "chat.completion.chunk", system_fingerprint: null, choices: [], usage })}\n\n`;
      tail += "data: [DONE]\n\n";
      void end("success", successRow, plan.completion, usage.total_tokens).then(() => {
        if (!res.destroyed) res.end(tail);
      });
    };
    timers.push(setTimeout(sendNext, ttft));
  });
}

function splitContent(text: string, n: number): string[] {
  if (text.length === 0) return [""];
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** 429 messages repeat (same key, same second): keep one string instance per distinct text. */
const interned = new Map<string, string>();
function intern(s: string): string {
  const hit = interned.get(s);
  if (hit !== undefined) return hit;
  if (interned.size > 2000) interned.clear();
  interned.set(s, s);
  return s;
}

function keyUserId(p: Principal): string | null {
  return p.row?.user_id ?? (p.admin ? "default_user_id" : null);
}

function successLiveRow(
  _sim: Simulator,
  p: Principal,
  info: ModelInfo,
  responseId: string,
  callId: string,
  startMs: number,
  endMs: number,
  completionStartMs: number | null,
  usage: { completion_tokens: number; prompt_tokens: number; total_tokens: number },
  spend: number,
  rateLimitHeaders: Record<string, string>,
  mock: boolean,
): LiveRow {
  return {
    request_id: responseId,
    litellm_call_id: callId,
    api_key: p.hash,
    spend,
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    startMs,
    endMs,
    completionStartMs,
    model: info.name,
    model_id: info.modelId,
    model_group: info.name,
    custom_llm_provider: info.provider,
    api_base: info.apiBase,
    user: "",
    team_id: p.row?.team_id ?? null,
    organization_id: p.row?.organization_id ?? null,
    status: "success",
    keyAlias: p.row?.key_alias ?? null,
    keyUserId: keyUserId(p),
    errorCode: null,
    errorClass: null,
    errorMessage: null,
    llmProvider: info.provider,
    rateLimitHeaders,
    mock,
  };
}

export function failureRow(
  _sim: Simulator,
  p: Principal,
  info: ModelInfo,
  callId: string,
  startMs: number,
  endMs: number,
  status: number,
  errorClass: string,
  message: string,
  provider: string,
  routed: boolean,
): LiveRow {
  return {
    request_id: callId,
    litellm_call_id: callId,
    api_key: p.hash,
    spend: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    startMs,
    endMs,
    completionStartMs: null,
    model: info.name,
    model_id: routed ? info.modelId : "",
    model_group: routed ? info.name : "",
    custom_llm_provider: routed ? info.provider : "",
    api_base: routed ? info.apiBase : "",
    user: "",
    team_id: p.row?.team_id ?? null,
    organization_id: p.row?.organization_id ?? null,
    status: "failure",
    keyAlias: p.row?.key_alias ?? null,
    keyUserId: keyUserId(p),
    errorCode: intern(String(status)),
    errorClass,
    errorMessage: intern(message),
    llmProvider: provider,
    rateLimitHeaders: null,
    mock: false,
  };
}
