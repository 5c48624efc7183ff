/**
 * POST /chat/completions and /v1/chat/completions (OpenAI Chat Completions, call type `acompletion`): the request's
 * and the answer's shapes, and SSE streaming. Everything else is the shared LLM path (call.ts).
 */
import crypto from "node:crypto";
import type { Call, LlmRoute } from "./call";
import { messageTokens, numberField, type OkPlan } from "./plan";

const usage = (plan: OkPlan) => ({ completion_tokens: plan.completion, prompt_tokens: plan.prompt, total_tokens: plan.prompt + plan.completion });

export const CHAT_ROUTE: LlmRoute = {
  callType: "acompletion",
  newId: () => `chatcmpl-${crypto.randomUUID()}`,
  shape: (data) => ({ promptTokens: messageTokens(data.messages), maxTokens: numberField(data.max_completion_tokens) ?? numberField(data.max_tokens) }),
  body: (call, plan) => ({
    id: call.responseId,
    created: call.created,
    model: call.o.info.name,
    object: "chat.completion",
    system_fingerprint: null,
    choices: [
      {
        finish_reason: "stop",
        index: 0,
        message: { content: plan.content, role: "assistant", tool_calls: null, function_call: null },
      },
    ],
    usage: usage(plan),
  }),
  stream: streamChat,
};

/**
 * SSE chunks, a finish chunk, a usage chunk when `stream_options.include_usage`, then `data: [DONE]`. A mock stream
 * sends every chunk after the delay; a real one sends the first chunk at 25 % of the latency and spreads the rest.
 */
function streamChat(call: Call, plan: OkPlan): void {
  const includeUsage = (call.data.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const { res, responseId: id, created } = call;
  const model = call.o.info.name;
  const pieces = splitContent(plan.content, plan.mock ? 8 : Math.min(20, Math.max(1, plan.completion)));
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id, created, model, object: "chat.completion.chunk", system_fingerprint: null, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const ttft = plan.mock ? plan.delayMs : plan.delayMs * 0.25;
  const gap = plan.mock ? 0 : (plan.delayMs - ttft) / pieces.length;
  let sent = 0;
  const sendNext = () => {
    if (call.gone()) return;
    if (sent === 0) {
      call.firstByte();
      res.writeHead(200, call.successHeaders(plan, { "content-type": "text/event-stream", "cache-control": "no-cache" }));
      res.write(chunk({ role: "assistant", content: pieces[0] }, null));
      sent = 1;
    } else if (sent < pieces.length) {
      res.write(chunk({ content: pieces[sent] }, null));
      sent++;
    }
    if (sent < pieces.length) {
      if (gap > 0) call.after(gap, sendNext);
      else sendNext();
      return;
    }
    let tail = chunk({}, "stop");
    if (includeUsage) tail += `data: ${JSON.stringify({ id, created, model, object: "chat.completion.chunk", system_fingerprint: null, choices: [], usage: usage(plan) })}\n\n`;
    tail += "data: [DONE]\n\n";
    void call.succeed(plan).then(() => {
      if (!res.destroyed) res.end(tail);
    });
  };
  call.after(ttft, sendNext);
}

function splitContent(text: string, n: number): string[] {
  if (text.length === 0) return [""];
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
