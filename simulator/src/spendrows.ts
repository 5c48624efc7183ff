/** The spend-log rows an LLM request writes when it ends (§4.3, §9.7): success, or failure (429, timeout, 5xx, disconnect). */
import type { Principal } from "./auth";
import type { ModelInfo } from "./models";
import type { LiveRow } from "./spendlogs";

/** Who made the request, for which model, on which route, and when it started. */
export interface RowOrigin {
  p: Principal;
  info: ModelInfo;
  callId: string;
  /** The route's CallTypes value (acompletion, anthropic_messages, aresponses). */
  callType: string;
  startMs: number;
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

/** The columns every row of the request shares: its ids and its key's. */
function keyColumns(o: RowOrigin) {
  return {
    litellm_call_id: o.callId,
    call_type: o.callType,
    api_key: o.p.hash,
    model: o.info.name,
    user: "",
    team_id: o.p.row?.team_id ?? null,
    organization_id: o.p.row?.organization_id ?? null,
    keyAlias: o.p.row?.key_alias ?? null,
    keyUserId: keyUserId(o.p),
  };
}

export function successRow(
  o: RowOrigin,
  responseId: string,
  endMs: number,
  completionStartMs: number | null,
  usage: { prompt: number; completion: number; spend: number; mock: boolean },
  rateLimitHeaders: Record<string, string>,
): LiveRow {
  return {
    ...keyColumns(o),
    request_id: responseId,
    spend: usage.spend,
    prompt_tokens: usage.prompt,
    completion_tokens: usage.completion,
    startMs: o.startMs,
    endMs,
    completionStartMs,
    model_id: o.info.modelId,
    model_group: o.info.name,
    custom_llm_provider: o.info.provider,
    api_base: o.info.apiBase,
    status: "success",
    errorCode: null,
    errorClass: null,
    errorMessage: null,
    llmProvider: o.info.provider,
    rateLimitHeaders,
    mock: usage.mock,
  };
}

/**
 * A failure row: `request_id` = the call id. `routed` is false for a limiter 429, which ends before routing: its
 * deployment columns and `llm_provider` are empty.
 */
export function failureRow(
  o: RowOrigin,
  startMs: number,
  endMs: number,
  status: number,
  errorClass: string,
  message: string,
  routed: boolean,
): LiveRow {
  return {
    ...keyColumns(o),
    request_id: o.callId,
    spend: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    startMs,
    endMs,
    completionStartMs: null,
    model_id: routed ? o.info.modelId : "",
    model_group: routed ? o.info.name : "",
    custom_llm_provider: routed ? o.info.provider : "",
    api_base: routed ? o.info.apiBase : "",
    status: "failure",
    errorCode: intern(String(status)),
    errorClass,
    errorMessage: intern(message),
    llmProvider: routed ? o.info.provider : "",
    rateLimitHeaders: null,
    mock: false,
  };
}
