/**
 * The one path every LLM route takes (/chat/completions, /v1/messages, /responses): the model checks, the limiter (a
 * 429 and its spend-log row), the simulated model call, and the end of the request (ground truth, spend-log row,
 * limiter release) whatever ends it: the answer, an upstream error or timeout, the client leaving. A route module
 * (chat.ts, messages.ts, responses.ts) gives only the shapes of its request and its answer (LlmRoute).
 */
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Principal } from "./auth";
import { ProxyError, parseJsonObject } from "./http";
import type { Admitted, KeyLimits, Outcome } from "./limiter";
import { MODEL_BY_NAME, type ModelInfo } from "./models";
import { makePlan, numberField, type CallShape, type ErrorPlan, type OkPlan, type Plan } from "./plan";
import type { Simulator } from "./simulator";
import type { LiveRow } from "./spendlogs";
import { failureRow, successRow, type RowOrigin } from "./spendrows";
import { limitTypeOf } from "./tracker";

export interface LlmRoute {
  /** The CallTypes value LiteLLM logs for the route (spend-log `call_type`). */
  callType: string;
  /** A new response id (also the success row's `request_id`). */
  newId(): string;
  /** Input tokens and output cap, read from the route's own body fields. */
  shape(data: Record<string, unknown>): CallShape;
  /** The JSON answer of a completed call. */
  body(call: Call, plan: OkPlan): Record<string, unknown>;
  /** Streams the answer of `stream: true`; a route without it refuses `stream: true` with a 400. */
  stream?(call: Call, plan: OkPlan): void;
}

/**
 * LITELLM_METADATA_ROUTES (litellm_pre_call_utils.py; "bedrock" too in some versions): a path containing one of them
 * keeps the proxy's metadata, the key hash included, under `litellm_metadata` instead of `metadata`
 * (_get_metadata_variable_name matches substrings, so /responses and /v1/responses both do).
 */
const LITELLM_METADATA_ROUTES = ["batches", "/v1/messages", "responses", "files"];

export function usesLitellmMetadata(path: string): boolean {
  return LITELLM_METADATA_ROUTES.some((r) => path.includes(r));
}

/** The requested model, if the proxy serves it and the key may use it. */
function allowedModel(model: unknown, p: Principal): ModelInfo {
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
  return info;
}

export async function handleLlmCall(
  sim: Simulator,
  req: IncomingMessage,
  res: ServerResponse,
  bodyText: string,
  p: Principal,
  route: LlmRoute,
  path: string,
): Promise<void> {
  const data = parseJsonObject(bodyText);
  const info = allowedModel(data.model, p);
  if (data.stream === true && !route.stream) {
    // A simulator limit, not LiteLLM's: refused before the limiter, so it holds no slot and writes no row.
    throw new ProxyError(400, `The simulator does not stream ${path}: send stream false or omit it (only /chat/completions streams)`, "invalid_request_error", "stream");
  }
  // A client may name the call itself (x-litellm-call-id, docs/litellm-reference.md §10 point 10).
  const named = req.headers["x-litellm-call-id"];
  const callId = typeof named === "string" && named !== "" ? named : crypto.randomUUID();
  const o: RowOrigin = { p, info, callId, callType: route.callType, startMs: Date.now() };
  const limits: KeyLimits = {
    hash: p.hash,
    rpm: p.row?.rpm_limit ?? null,
    tpm: p.row?.tpm_limit ?? null,
    mpr: p.row?.max_parallel_requests ?? null,
  };
  const worker = sim.nextWorker();
  const verdict = await sim.limiter.admit(worker, limits);
  if (!verdict.ok) {
    const e = verdict.error;
    const now = Date.now();
    sim.spendDelay.push(failureRow(o, now, now, e.status, verdict.errorClass, `${e.status}: ${e.message}`, false));
    await sim.tracker?.reject(worker, p.hash, limitTypeOf(e));
    throw new ProxyError(e.status, e.message, e.type, e.param, { ...e.headers, ...sim.customHeaders(p, o.callId) });
  }
  // Admitted: the request now counts as upstream concurrency until it ends, whatever the reason. The tracker's start
  // goes out in the same tick, so its open set and the ground truth move together (GET /sim/tracker).
  sim.upstream.inc(p.hash);
  sim.tracker?.start(worker, p.hash, o.callId);
  const plan = () => makePlan(sim, info, p.row, data, route.shape(data));
  const leaksSlot = sim.cfg.leakMetadataRoutes && usesLitellmMetadata(path);
  await new Call(sim, req, res, route, o, worker, verdict, data, leaksSlot).run(plan);
}

/** One admitted request, from admission to its end. */
export class Call {
  readonly responseId: string;
  /** Unix seconds of the start, the answer's `created`. */
  readonly created: number;
  private completionStartMs: number | null = null;
  /** Router retries left (the body's `num_retries`), and taken. */
  private retriesLeft: number;
  private retries = 0;
  private ended = false;
  private timers: NodeJS.Timeout[] = [];
  private done: () => void = () => {};

  constructor(
    private sim: Simulator,
    private req: IncomingMessage,
    readonly res: ServerResponse,
    private route: LlmRoute,
    readonly o: RowOrigin,
    /** The simulated worker that admitted it. */
    private worker: number,
    private admitted: Admitted,
    readonly data: Record<string, unknown>,
    /** --leak-metadata-routes on a LITELLM_METADATA_ROUTES path (#27955). */
    private leaksSlot: boolean,
  ) {
    this.responseId = route.newId();
    this.created = Math.floor(o.startMs / 1000);
    this.retriesLeft = Math.max(0, Math.floor(numberField(data.num_retries) ?? 0));
  }

  /**
   * Resolves when the request has ended and the limiter has released what it releases. `plan` decides an attempt of
   * the simulated model call, drawn again for each router retry.
   */
  run(plan: () => Plan): Promise<void> {
    return new Promise<void>((resolve) => {
      this.done = resolve;
      this.res.on("close", () => {
        if (!this.ended) this.disconnected();
      });
      // It may already have left while the request waited for the limiter ('close' fired before we listened).
      if (this.gone()) return;
      this.attempt(plan);
    });
  }

  /**
   * One attempt upstream. A failed one is retried while the body's `num_retries` allows (the router's
   * async_function_with_retries, with no pause between attempts here): the same call, the same litellm_call_id,
   * the same limiter slot, only a new start for the tracker.
   */
  private attempt(plan: () => Plan): void {
    const p = plan();
    const route = this.route;
    if (p.kind === "error") {
      this.after(p.delayMs, () => {
        if (this.retriesLeft === 0) return this.fail(p);
        this.retriesLeft--;
        this.retries++;
        this.sim.tracker?.start(this.worker, this.o.p.hash, this.o.callId);
        this.attempt(plan);
      });
    }
    // handleLlmCall refused stream: true on a route that cannot stream.
    else if (this.data.stream === true) route.stream!(this, p);
    else this.after(p.delayMs, () => this.answer(route.body(this, p), p));
  }

  /** Runs `f` after `ms` unless the client has gone by then (the request then ended as a disconnect). */
  after(ms: number, f: () => void): void {
    this.timers.push(
      setTimeout(() => {
        if (!this.gone()) f();
      }, ms),
    );
  }

  /** True (and the request ended) if the client is gone. */
  gone(): boolean {
    if (this.ended) return true;
    if (this.res.destroyed || (this.req.destroyed && !this.req.complete)) {
      this.disconnected();
      return true;
    }
    return false;
  }

  /** Response headers: get_custom_headers, the limiter's x-ratelimit-* and `extra`. */
  headers(extra: Record<string, string>): Record<string, string> {
    return { ...this.sim.customHeaders(this.o.p, this.o.callId), ...this.admitted.headers(), ...extra };
  }

  /** The headers of a successful call: its cost and the deployment that served it. */
  successHeaders(plan: OkPlan, extra: Record<string, string>): Record<string, string> {
    const info = this.o.info;
    return this.headers({
      "x-litellm-response-cost": String(plan.spend),
      "x-litellm-model-id": info.modelId,
      "x-litellm-model-api-base": info.apiBase,
      "x-litellm-model-group": info.name,
      "x-litellm-response-duration-ms": String(Date.now() - this.o.startMs),
      "x-litellm-attempted-retries": String(this.retries),
      "x-litellm-attempted-fallbacks": "0",
      ...extra,
    });
  }

  /** The first byte of the answer leaves now (the row's completionStartTime). */
  firstByte(): void {
    this.completionStartMs = Date.now();
  }

  /** The whole answer was produced: the request ends as a success; resolves when the client may get its last byte. */
  succeed(plan: OkPlan): Promise<void> {
    const usage = { prompt: plan.prompt, completion: plan.completion, spend: plan.spend, mock: plan.mock };
    return this.end(
      "success",
      false,
      () => successRow(this.o, this.responseId, Date.now(), this.completionStartMs, usage, this.admitted.headers()),
      plan.completion,
      plan.prompt + plan.completion,
    );
  }

  private answer(body: Record<string, unknown>, plan: OkPlan): void {
    this.firstByte();
    const text = JSON.stringify(body);
    const h = this.successHeaders(plan, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
    void this.succeed(plan).then(() => {
      if (this.res.destroyed) return;
      this.res.writeHead(200, h);
      this.res.end(text);
    });
  }

  private fail(plan: ErrorPlan): void {
    const now = Date.now();
    const text = new ProxyError(plan.status, plan.message, null, null).body();
    void this.end("failure", plan.timeout, () => failureRow(this.o, this.o.startMs, now, plan.status, plan.errorClass, plan.message, true), 0, 0).then(() => {
      if (this.res.destroyed) return;
      this.res.writeHead(plan.status, this.headers({ "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) }));
      this.res.end(text);
    });
  }

  /** The client went away before the response completed: the simulated upstream call is cancelled. */
  private disconnected(): void {
    const row = () =>
      failureRow(this.o, this.o.startMs, Date.now(), 499, "ClientDisconnect", "Client disconnected before the response completed", true);
    void this.end("disconnect", false, row, 0, 0);
  }

  /**
   * What the limiter's release path gets. A disconnect has its own release path (PR #30020), which always runs.
   * Otherwise the count stays: on a LITELLM_METADATA_ROUTES route with --leak-metadata-routes, whatever the outcome,
   * since the success and failure callbacks find no slot under `metadata` (#27955); after an upstream timeout with
   * --stuck-on-timeout (#20256/#1477).
   */
  private releaseOutcome(outcome: "success" | "failure" | "disconnect", upstreamTimeout: boolean): Outcome {
    if (outcome === "disconnect") return outcome;
    if (this.leaksSlot || (upstreamTimeout && this.sim.cfg.stuckOnTimeout)) return "stuck";
    return outcome;
  }

  /**
   * The tracker's end, as the callback would write it (§11.8): a client gone mid-stream after at least one chunk is a
   * success event with 499, `cancelled`; gone before any chunk (or from a non-streaming request) fires no callback, so
   * the request stays open in Redis until the reader prunes it. The first byte of a non-streaming answer leaves only
   * after the request has ended, so `completionStartMs` is set at a disconnect only once a chunk was streamed.
   */
  private trackEnd(outcome: "success" | "failure" | "disconnect"): Promise<void> {
    const tracker = this.sim.tracker;
    if (!tracker || (outcome === "disconnect" && this.completionStartMs === null)) return Promise.resolve();
    return tracker.end(this.worker, this.o.p.hash, this.o.callId, outcome === "success" ? "ok" : outcome === "failure" ? "error" : "cancelled");
  }

  /**
   * The request ends: ground truth and the tracker's end (in one tick, as at the start), spend-log row, then the
   * limiter's release; resolves when the client may be answered, the release and the tracker's write awaited together.
   */
  private end(
    outcome: "success" | "failure" | "disconnect",
    upstreamTimeout: boolean,
    row: () => LiveRow,
    completionTokens: number,
    totalTokens: number,
  ): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.ended = true;
    for (const t of this.timers) clearTimeout(t);
    this.sim.upstream.dec(this.o.p.hash);
    const tracked = this.trackEnd(outcome);
    this.sim.spendDelay.push(row());
    const released = this.admitted.release(this.releaseOutcome(outcome, upstreamTimeout), completionTokens, totalTokens);
    const both = Promise.all([released, tracked]).then(() => {});
    both.then(this.done, this.done);
    return both;
  }
}
