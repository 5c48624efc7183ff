/**
 * POST /v1/responses and /responses (OpenAI Responses API, call type `aresponses`, §11.9): the request's and the
 * answer's shapes. Everything else is the shared LLM path (call.ts); no streaming (a 400, see README).
 */
import crypto from "node:crypto";
import type { LlmRoute } from "./call";
import { messageTokens, numberField } from "./plan";

export const RESPONSES_ROUTE: LlmRoute = {
  callType: "aresponses",
  newId: () => `resp_${crypto.randomBytes(24).toString("hex")}`,
  // `input` is a string (one user message) or a list of input items.
  shape: (data) => ({
    promptTokens: messageTokens(typeof data.input === "string" ? [{ content: data.input }] : data.input),
    maxTokens: numberField(data.max_output_tokens),
  }),
  body: (call, plan) => ({
    id: call.responseId,
    object: "response",
    created_at: call.created,
    status: "completed",
    model: call.o.info.name,
    output: [
      {
        type: "message",
        id: `msg_${crypto.randomBytes(24).toString("hex")}`,
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text: plan.content, annotations: [] }],
      },
    ],
    usage: { input_tokens: plan.prompt, output_tokens: plan.completion, total_tokens: plan.prompt + plan.completion },
  }),
};
