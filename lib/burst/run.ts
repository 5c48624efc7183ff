// Server-only: runs a burst test against a LiteLLM proxy.
import crypto from "node:crypto";
import { MAX_BURST_REQUESTS } from "../api/bursts";
import type { LiteLLMClient } from "../litellm/client";
import { hashKey } from "../litellm/hash-key";
import type { KeyInfo } from "../litellm/schemas";
import { answerOf, fireBurst, mockBody, proxyUrl, type BurstProgress, type BurstTarget } from "./fire";
import type { BurstReport } from "./report";
import type { MetadataRestore } from "./repository";
import { sleep } from "./sleep";
import { TWIN_OF } from "./twin";
import { burstVerdict, inconclusive, type BurstRequest } from "./verdict";

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
  /** The twin joins the key's team (it then spends the team's limits; off unless asked). */
  twinInTeam?: boolean;
  /**
   * The proxy's key cache (user_api_key_cache_ttl, LITELLM_KEY_CACHE_TTL_S): after allowing mocks in
   * the key's own metadata the run waits this long, so no worker still holds the key without it.
   */
  keyCacheTtlS?: number;
  /**
   * The admin consents to setting `allow_client_mock_response: true` in the key's own metadata for
   * the run (the key itself only); it is put back as it was afterwards.
   */
  allowMockMetadata?: boolean;
}

/**
 * What the run must undo on the proxy, told before the change it undoes (and null once undone), so
 * that a run whose process dies is repaired from what was stored (lib/burst/repair.ts).
 */
export interface CleanupLog {
  twin(hash: string | null): Promise<void>;
  restore(r: MetadataRestore | null): Promise<void>;
}

export interface BurstHooks {
  /** A line of what the run is doing. */
  log(line: string): void;
  onProgress?(p: BurstProgress): void;
  signal?: AbortSignal;
  cleanup?: CleanupLog;
}

/** The most requests one test fires (each holds a connection). */
const MAX_BURST = MAX_BURST_REQUESTS;
/** How long a twin outlives the longest the test can take, should its deletion fail (a safety net). */
const TWIN_SPARE_MIN = 10;
/** The longest a request before the burst (the probe, the model list) may take. */
const PREFLIGHT_TIMEOUT_MS = 30_000;
/** The metadata entry that lets a client send `mock_response` (docs/litellm-reference.md §10 point 3). */
export const MOCK_FLAG = "allow_client_mock_response";

/** A few times the limit, at least limit + 5, at most MAX_BURST over all rounds. */
export function defaultRequests(limit: number, rounds = 1): number {
  return Math.min(Math.floor(MAX_BURST / rounds), Math.max(limit * 3, limit + 5));
}

/**
 * One burst test: the key's limits read from the proxy; a temporary twin key with the same limits
 * and models (or the key itself); one probe proving mocks are honoured (zero cost), else nothing is
 * fired; the burst; the verdict; the twin deleted and the key's metadata put back whatever happens.
 */
export async function runBurst(admin: LiteLLMClient, baseUrl: string, plan: BurstPlan, hooks: BurstHooks): Promise<BurstReport> {
  const startedMs = Date.now();
  const info = await admin.keyInfo(plan.keyHash);
  const limit = info.max_parallel_requests;
  const n = plan.n ?? (limit === null ? 0 : defaultRequests(limit, plan.rounds));
  const { everyS, holdS } = roundTiming(plan);
  const base = { keyHash: plan.keyHash, keyAlias: info.key_alias, limit, n, holdS, rounds: plan.rounds, everyS, target: plan.rawKey ? ("key" as const) : ("twin" as const), startedMs, spendLogs: null };
  const report = (requests: BurstRequest[], model: string | null, v = limit === null ? inconclusive(requests, "no limit") : burstVerdict(requests, limit)): BurstReport => ({
    ...base,
    ...v,
    client: { verdict: v.verdict, reasons: v.reasons },
    model,
    endedMs: Date.now(),
    requests,
  });
  const notFired = (reason: string, model: string | null = plan.model) => report([], model, inconclusive([], reason));
  if (limit === null) return notFired("the key has no max_parallel_requests: there is no limit to test");
  if (n * plan.rounds > MAX_BURST) return notFired(`at most ${MAX_BURST} requests per test (${n} × ${plan.rounds} rounds asked)`);
  if (plan.rawKey && hashKey(plan.rawKey) !== plan.keyHash) throw new Error("the raw key given is not the key under test (its hash differs)");

  const cancelled = () => hooks.signal?.aborted === true;
  let twin: { key: string; hash: string } | null = null;
  let restore: MetadataRestore | null = null;
  try {
    let key = plan.rawKey;
    if (cancelled()) return notFired("cancelled");
    if (!key) {
      const made = await makeTwin(admin, info, plan, twinMinutes(plan, holdS));
      // Known here first, so the finally below deletes it whatever fails next.
      twin = made;
      key = made.key;
      await hooks.cleanup?.twin(made.hash);
      hooks.log(`twin key ${made.alias} created (max_parallel_requests ${limit}${plan.twinInTeam && info.team_id ? `, in team ${info.team_id}` : ""}, expires in ${made.duration})`);
    } else if (plan.allowMockMetadata && info.metadata[MOCK_FLAG] !== true) {
      restore = { entry: MOCK_FLAG, had: MOCK_FLAG in info.metadata, value: info.metadata[MOCK_FLAG] ?? null };
      await hooks.cleanup?.restore(restore);
      // LiteLLM replaces the stored metadata with what is sent: the whole object, merged.
      await admin.updateKey(plan.keyHash, { metadata: { ...info.metadata, [MOCK_FLAG]: true } });
      hooks.log(`${MOCK_FLAG}: true set in the key's metadata for the run (put back afterwards)`);
      if (plan.keyCacheTtlS) {
        // Other workers keep the key as they cached it, without the allowance, this long: their
        // requests would reach the provider.
        hooks.log(`waiting ${plan.keyCacheTtlS} s for the proxy's key cache (user_api_key_cache_ttl) to take the change everywhere`);
        await sleep(plan.keyCacheTtlS * 1000, hooks.signal);
      }
    }
    if (cancelled()) return notFired("cancelled");
    const model = plan.model ?? (await firstModel(baseUrl, key, hooks.signal)) ?? concreteModel(info.models);
    if (!model) return notFired("no model to call: the proxy lists none this key may call (pass --model, or put the twin in the key's team)");

    const probeAnswer = `inflight-probe-${crypto.randomBytes(6).toString("hex")}`;
    const probe = await probeMock(baseUrl, key, model, probeAnswer, Boolean(plan.rawKey), hooks.signal);
    if (cancelled()) return notFired("cancelled", model);
    if (probe !== null) return notFired(probe, model);
    if (holdS > plan.holdS) hooks.log(`each request holds ${holdS} s (not ${plan.holdS}): past the last round, so rounds after the window roll meet the first`);
    hooks.log(
      `probe: the proxy answered the mock (zero cost); firing ${n} requests holding ${holdS} s each` +
        (plan.rounds > 1 ? `, ${plan.rounds} rounds ${everyS} s apart (across a ${plan.windowS} s limiter window)` : ""),
    );

    // Every burst answer is checked against this text: one that differs reached the provider.
    const answer = `inflight-burst-${crypto.randomBytes(6).toString("hex")}`;
    const requests = await fireRounds({ baseUrl, key, model }, n, holdS, plan.rounds, everyS, answer, hooks);
    if (cancelled()) return report(requests, model, inconclusive(requests, "cancelled"));
    return report(requests, model);
  } catch (e) {
    // A cancel aborts the requests before the burst too (the model list, the probe).
    if (cancelled()) return notFired("cancelled");
    if ((e as Error).name === "TimeoutError") throw new Error(`the proxy did not answer within ${PREFLIGHT_TIMEOUT_MS / 1000} s before the burst`);
    throw e;
  } finally {
    if (twin) await deleteTwin(admin, twin.hash, hooks);
    if (restore) await putBack(admin, plan.keyHash, restore, hooks);
  }
}

/** Minutes a twin lives: the whole test (rounds and holds) and a spare, should its deletion fail. */
function twinMinutes(plan: Pick<BurstPlan, "rounds" | "windowS">, holdS: number): number {
  const testS = (plan.rounds > 1 ? 1.25 * plan.windowS : 0) + holdS + PREFLIGHT_TIMEOUT_MS / 1000;
  return Math.ceil(testS / 60) + TWIN_SPARE_MIN;
}

/** The first of a key's models that names one model (not a wildcard or an access group); null when none does. */
function concreteModel(models: string[]): string | null {
  return models.find((m) => !m.includes("*") && !/^all-(team|proxy)-models$/.test(m)) ?? null;
}

/** A twin of the key: its limits and models (its team only if asked), mocks allowed, a short life. */
async function makeTwin(admin: LiteLLMClient, info: KeyInfo, plan: BurstPlan, minutes: number): Promise<{ key: string; hash: string; alias: string; duration: string }> {
  const alias = `inflight-burst-${info.key_alias ?? plan.keyHash.slice(0, 8)}-${crypto.randomBytes(3).toString("hex")}`;
  const duration = `${minutes}m`;
  const made = await admin.generateKey({
    key_alias: alias,
    duration,
    models: info.models,
    max_parallel_requests: info.max_parallel_requests,
    rpm_limit: info.rpm_limit,
    tpm_limit: info.tpm_limit,
    metadata: { [MOCK_FLAG]: true, [TWIN_OF]: plan.keyHash },
    ...(plan.twinInTeam && info.team_id ? { team_id: info.team_id } : {}),
  });
  return { key: made.key, hash: hashKey(made.key), alias, duration };
}

/** Deletes the twin by its hash (its secret is not sent again, nor can it reach a log through an error). */
async function deleteTwin(admin: LiteLLMClient, hash: string, hooks: BurstHooks): Promise<void> {
  try {
    await admin.deleteKeys([hash]);
    await hooks.cleanup?.twin(null);
    hooks.log("twin key deleted");
  } catch (e) {
    hooks.log(`could not delete the twin key (${(e as Error).message}); it expires on its own, and Inflight tries again`);
  }
}

async function putBack(admin: LiteLLMClient, keyHash: string, restore: MetadataRestore, hooks: BurstHooks): Promise<void> {
  try {
    await restoreMetadata(admin, keyHash, restore);
    await hooks.cleanup?.restore(null);
    hooks.log(`the key's metadata is as it was (${MOCK_FLAG} ${restore.had ? `back to ${JSON.stringify(restore.value)}` : "removed"})`);
  } catch (e) {
    hooks.log(`could not put the key's metadata back (${(e as Error).message}): Inflight tries again; until then ${MOCK_FLAG} stays true`);
  }
}

/**
 * Puts one metadata entry of a key back as it was, merged into the metadata it holds now (entries
 * changed meanwhile by others are kept).
 */
export async function restoreMetadata(admin: LiteLLMClient, keyHash: string, r: MetadataRestore): Promise<void> {
  const now = (await admin.keyInfo(keyHash)).metadata;
  const merged: Record<string, unknown> = { ...now };
  if (r.had) merged[r.entry] = r.value;
  else delete merged[r.entry];
  await admin.updateKey(keyHash, { metadata: merged });
}

/**
 * Rounds spread over a quarter more than one window, so a roll falls before the last of them
 * (wherever the window starts); each request holds past the last round, so a round admitted after
 * the roll runs together with the first round's requests still holding their slots. (A round fired
 * while the first still holds before the roll is refused by any limiter.)
 */
function roundTiming(plan: Pick<BurstPlan, "rounds" | "windowS" | "holdS">): { everyS: number; holdS: number } {
  if (plan.rounds <= 1) return { everyS: 0, holdS: plan.holdS };
  const everyS = (1.25 * plan.windowS) / (plan.rounds - 1);
  return { everyS, holdS: Math.max(plan.holdS, Math.ceil(1.25 * plan.windowS + 1)) };
}

/** The rounds, each fired at its time; progress added up over them; a cancel stops rounds not yet fired. */
async function fireRounds(target: BurstTarget, n: number, holdS: number, rounds: number, everyS: number, answer: string, hooks: BurstHooks): Promise<BurstRequest[]> {
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
        answer,
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

/**
 * One request with a random mock answer and one token: null when the proxy answered exactly that
 * (mocks are honoured: the burst costs nothing), else what to change.
 */
async function probeMock(baseUrl: string, key: string, model: string, answer: string, keyItself: boolean, signal?: AbortSignal): Promise<string | null> {
  const res = await fetch(proxyUrl(baseUrl, "/v1/chat/completions"), {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: mockBody(model, answer, 0),
    signal: preflightSignal(signal),
  });
  const text = await res.text();
  if (res.status !== 200) return `the probe request failed (${res.status}): ${text.slice(0, 200)}`;
  const content = answerOf(text);
  if (content === answer) return null;
  return (
    `the proxy did not return the mock answer, so the burst would reach the provider and cost tokens: set metadata ${MOCK_FLAG}: true (the JSON boolean) on the key or its team` +
    (keyItself ? ", or allow Inflight to set it on the key for the run (--allow-mock-metadata; it is put back afterwards)" : "")
  );
}

/** A request before the burst ends on a cancel, or after PREFLIGHT_TIMEOUT_MS. */
function preflightSignal(signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(PREFLIGHT_TIMEOUT_MS);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** The first model `/v1/models` lists for this key; null when none. */
async function firstModel(baseUrl: string, key: string, signal?: AbortSignal): Promise<string | null> {
  const res = await fetch(proxyUrl(baseUrl, "/v1/models"), { headers: { authorization: `Bearer ${key}` }, signal: preflightSignal(signal) });
  if (res.status !== 200) return null;
  const body = (await res.json()) as { data?: { id?: unknown }[] };
  return concreteModel((body.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === "string"));
}
