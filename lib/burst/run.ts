// Server-only: runs a burst test against a LiteLLM proxy.
import crypto from "node:crypto";
import type { LiteLLMClient } from "../litellm/client";
import { hashKey } from "../litellm/hash-key";
import { fireBurst, mockBody, type BurstProgress, type BurstTarget } from "./fire";
import { burstVerdict, type BurstRequest, type BurstVerdict } from "./verdict";

/** What to test: a key (by hash), how hard, and on what. */
export interface BurstPlan {
  keyHash: string;
  /** Requests fired at once; default a few times the limit (`defaultRequests`). */
  n: number | null;
  /** Seconds each request holds its slot. */
  holdS: number;
  /** The key itself (its raw `sk-` value, held in memory for this run only), or null for a temporary twin key. */
  rawKey: string | null;
  /** The model to call; null: the key's first, else the proxy's first. */
  model: string | null;
  /**
   * Bursts fired one after another, spread over a little more than one limiter window (`windowS`)
   * so that a window rolls over while earlier rounds still run (LiteLLM #16011); 1: a single burst.
   */
  rounds: number;
  /** The proxy's limiter window (LITELLM_RATE_LIMIT_WINDOW_SIZE, seconds). */
  windowS: number;
}

export interface BurstReport extends BurstVerdict {
  keyHash: string;
  keyAlias: string | null;
  limit: number | null;
  /** Requests per round. */
  n: number;
  holdS: number;
  rounds: number;
  /** Seconds between rounds (0 for one). */
  everyS: number;
  target: "twin" | "key";
  model: string | null;
  startedMs: number;
  endedMs: number;
  requests: BurstRequest[];
}

export interface BurstHooks {
  /** A line of what the run is doing. */
  log(line: string): void;
  onProgress?(p: BurstProgress): void;
  signal?: AbortSignal;
}

/** The most requests one burst fires (each holds a connection). */
export const MAX_BURST = 500;
/** How long a twin key lives at most, should its deletion fail (a safety net). */
const TWIN_DURATION = "10m";

/** A few times the limit, at least limit + 5, at most MAX_BURST. */
export function defaultRequests(limit: number): number {
  return Math.min(MAX_BURST, Math.max(limit * 3, limit + 5));
}

/**
 * One burst test: the key's limits read from the proxy; a temporary twin key with the same limits
 * and models (or the key itself); one probe proving mocks are honoured (zero cost), else nothing is
 * fired; the burst; the verdict; the twin deleted whatever happens.
 */
export async function runBurst(admin: LiteLLMClient, baseUrl: string, plan: BurstPlan, hooks: BurstHooks): Promise<BurstReport> {
  const startedMs = Date.now();
  const info = await admin.keyInfo(plan.keyHash);
  const limit = info.max_parallel_requests;
  const n = plan.n ?? (limit === null ? 0 : defaultRequests(limit));
  const { everyS, holdS } = roundTiming(plan);
  const base = { keyHash: plan.keyHash, keyAlias: info.key_alias, limit, n, holdS, rounds: plan.rounds, everyS, target: plan.rawKey ? ("key" as const) : ("twin" as const), startedMs };
  const inconclusive = (reason: string, model: string | null = plan.model): BurstReport => ({
    ...base,
    ...burstVerdict([], Math.max(1, limit ?? 1)),
    verdict: "INCONCLUSIVE",
    reasons: [reason],
    model,
    endedMs: Date.now(),
    requests: [],
  });
  if (limit === null) return inconclusive("the key has no max_parallel_requests: there is no limit to test");
  if (n * plan.rounds > MAX_BURST) return inconclusive(`at most ${MAX_BURST} requests per test (${n} × ${plan.rounds} rounds asked)`);
  if (plan.rawKey && hashKey(plan.rawKey) !== plan.keyHash) throw new Error("the raw key given is not the key under test (its hash differs)");

  let twin: string | null = null;
  try {
    let key = plan.rawKey;
    if (!key) {
      const alias = `inflight-burst-${info.key_alias ?? plan.keyHash.slice(0, 8)}-${crypto.randomBytes(3).toString("hex")}`;
      // Same key limits and models, not the team: a twin in the team would spend the team's limits.
      const made = await admin.generateKey({
        key_alias: alias,
        duration: TWIN_DURATION,
        models: info.models,
        max_parallel_requests: limit,
        rpm_limit: info.rpm_limit,
        tpm_limit: info.tpm_limit,
        metadata: { allow_client_mock_response: true, inflight_burst_twin_of: plan.keyHash },
      });
      twin = key = made.key;
      hooks.log(`twin key ${alias} created (max_parallel_requests ${limit}, expires in ${TWIN_DURATION})`);
    }
    const model = plan.model ?? info.models[0] ?? (await firstModel(baseUrl, key));
    if (!model) return inconclusive("no model to call: the proxy lists none for this key (pass --model)");

    const answer = `inflight-probe-${crypto.randomBytes(6).toString("hex")}`;
    const probe = await probeMock(baseUrl, key, model, answer);
    if (probe !== null) return inconclusive(probe, model);
    if (holdS > plan.holdS) hooks.log(`each request holds ${holdS} s (not ${plan.holdS}): rounds ${everyS} s apart must overlap`);
    hooks.log(
      `probe: the proxy answered the mock (zero cost); firing ${n} requests holding ${holdS} s each` +
        (plan.rounds > 1 ? `, ${plan.rounds} rounds ${everyS} s apart (across a ${plan.windowS} s limiter window)` : ""),
    );

    const requests = await fireRounds({ baseUrl, key, model }, n, holdS, plan.rounds, everyS, hooks);
    if (hooks.signal?.aborted) return { ...inconclusive("cancelled", model), requests };
    return { ...base, ...burstVerdict(requests, limit), model, endedMs: Date.now(), requests };
  } finally {
    if (twin) {
      await admin.deleteKeys([twin]).then(
        () => hooks.log("twin key deleted"),
        (e: Error) => hooks.log(`could not delete the twin key (${e.message}); it expires within ${TWIN_DURATION}`),
      );
    }
  }
}

/**
 * Rounds spread over a quarter more than one window: a roll falls between two of them, clear of the
 * last (a window that starts with the first request rolls at 0.8 of the span); each request holds
 * past the next round, so rounds overlap.
 */
function roundTiming(plan: Pick<BurstPlan, "rounds" | "windowS" | "holdS">): { everyS: number; holdS: number } {
  if (plan.rounds <= 1) return { everyS: 0, holdS: plan.holdS };
  const everyS = (1.25 * plan.windowS) / (plan.rounds - 1);
  return { everyS, holdS: Math.max(plan.holdS, Math.ceil(everyS + 1)) };
}

/** The rounds, each fired at its time; progress added up over them; a cancel stops rounds not yet fired. */
async function fireRounds(target: BurstTarget, n: number, holdS: number, rounds: number, everyS: number, hooks: BurstHooks): Promise<BurstRequest[]> {
  const prefix = `inflight-burst-${crypto.randomBytes(4).toString("hex")}`;
  const perRound: BurstProgress[] = [];
  const t0 = Date.now();
  const fired: Promise<BurstRequest[]>[] = [];
  for (let round = 0; round < rounds; round++) {
    const wait = t0 + round * everyS * 1000 - Date.now();
    if (wait > 0) await sleep(wait, hooks.signal);
    if (hooks.signal?.aborted) break;
    fired.push(
      fireBurst(target, {
        n,
        holdS,
        idPrefix: `${prefix}-r${round}`,
        round,
        signal: hooks.signal,
        onProgress: (p) => {
          perRound[round] = p;
          hooks.onProgress?.(sumProgress(perRound));
        },
      }),
    );
  }
  return (await Promise.all(fired)).flat();
}

function sumProgress(ps: BurstProgress[]): BurstProgress {
  const total: BurstProgress = { sent: 0, admitted: 0, rejected: 0, other: 0, inFlight: 0, done: 0 };
  for (const p of ps) if (p) for (const k of Object.keys(total) as (keyof BurstProgress)[]) total[k] += p[k];
  return total;
}

/** Waits `ms`, or less when the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/**
 * One request with a random mock answer and one token: null when the proxy answered exactly that
 * (mocks are honoured: the burst costs nothing), else what to change.
 */
async function probeMock(baseUrl: string, key: string, model: string, answer: string): Promise<string | null> {
  const res = await fetch(`${baseUrl.replace(/\/+$/, "")}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: mockBody(model, answer, 0),
  });
  const text = await res.text();
  if (res.status !== 200) return `the probe request failed (${res.status}): ${text.slice(0, 200)}`;
  let content: unknown;
  try {
    content = (JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
  } catch {
    content = undefined;
  }
  if (content === answer) return null;
  return "the proxy did not return the mock answer, so the burst would reach the provider and cost tokens: set metadata allow_client_mock_response: true (the JSON boolean) on the key or its team";
}

/** The first model `/v1/models` lists for this key; null when none. */
async function firstModel(baseUrl: string, key: string): Promise<string | null> {
  const res = await fetch(`${baseUrl.replace(/\/+$/, "")}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  if (res.status !== 200) return null;
  const body = (await res.json()) as { data?: { id?: unknown }[] };
  const id = body.data?.find((m) => typeof m.id === "string")?.id;
  return typeof id === "string" ? id : null;
}
