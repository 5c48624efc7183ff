/**
 * POST /v1/messages (Anthropic Messages API, call type `anthropic_messages`, §11.9): the request's and the answer's
 * shapes. Everything else is the shared LLM path (call.ts); no streaming (a 400, see README).
 */
import crypto from "node:crypto";
import type { LlmRoute } from "./call";
import { messageTokens, numberField } from "./plan";

export const MESSAGES_ROUTE: LlmRoute = {
  callType: "anthropic_messages",
  newId: () => `msg_${crypto.randomBytes(12).toString("hex")}`,
  // `system` sits beside `messages` in this API and is billed as input too.
  shape: (data) => ({
    promptTokens: messageTokens(data.system === undefined ? data.messages : [{ content: data.system }, ...(Array.isArray(data.messages) ? data.messages : [])]),
    maxTokens: numberField(data.max_tokens),
  }),
  body: (call, plan) => ({
    id: call.responseId,
    type: "message",
    role: "assistant",
    model: call.o.info.name,
    content: [{ type: "text", text: plan.content }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: plan.prompt, output_tokens: plan.completion },
  }),
};
