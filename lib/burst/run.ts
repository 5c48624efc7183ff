// Server-only: runs a burst test against a LiteLLM proxy.
import crypto from "node:crypto";
import { MAX_BURST_REQUESTS } from "../api/bursts";
import type { LiteLLMClient } from "../litellm/client";
import { hashKey } from "../litellm/hash-key";
import type { KeyInfo } from "../litellm/schemas";
import { fireBurst, mockBody, proxyUrl, type BurstProgress, type BurstTarget } from "./fire";
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
/** How long a twin key lives at most, should its deletion fail (a safety net). */
const TWIN_DURATION = "10m";
/** The metadata entry that lets a client send `mock_response` (docs/litellm-reference.md §10 point 3). */
export const MOCK_FLAG = "allow_client_mock_response";

/** A few times the limit, at least limit + 5, at most MAX_BURST. */
export function defaultRequests(limit: number): number {
  return Math.min(MAX_BURST, Math.max(limit * 3, limit + 5));
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
  const n = plan.n ?? (limit === null ? 0 : defaultRequests(limit));
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

  let twin: string | null = null;
  let restore: MetadataRestore | null = null;
  try {
    let key = plan.rawKey;
    if (!key) {
      twin = key = await makeTwin(admin, info, plan, hooks);
    } else if (plan.allowMockMetadata && info.metadata[MOCK_FLAG] !== true) {
      restore = { entry: MOCK_FLAG, had: MOCK_FLAG in info.metadata, value: info.metadata[MOCK_FLAG] ?? null };
      await hooks.cleanup?.restore(restore);
      // LiteLLM replaces the stored metadata with what is sent: the whole object, merged.
      await admin.updateKey(plan.keyHash, { metadata: { ...info.metadata, [MOCK_FLAG]: true } });
      hooks.log(`${MOCK_FLAG}: true set in the key's metadata for the run (put back afterwards)`);
    }
    const model = plan.model ?? info.models[0] ?? (await firstModel(baseUrl, key));
    if (!model) return notFired("no model to call: the proxy lists none for this key (pass --model)");

    const answer = `inflight-probe-${crypto.randomBytes(6).toString("hex")}`;
    const probe = await probeMock(baseUrl, key, model, answer, Boolean(plan.rawKey));
    if (probe !== null) return notFired(probe, model);
    if (holdS > plan.holdS) hooks.log(`each request holds ${holdS} s (not ${plan.holdS}): past the last round, so rounds after the window roll meet the first`);
    hooks.log(
      `probe: the proxy answered the mock (zero cost); firing ${n} requests holding ${holdS} s each` +
        (plan.rounds > 1 ? `, ${plan.rounds} rounds ${everyS} s apart (across a ${plan.windowS} s limiter window)` : ""),
    );

    const requests = await fireRounds({ baseUrl, key, model }, n, holdS, plan.rounds, everyS, hooks);
    if (hooks.signal?.aborted) return report(requests, model, inconclusive(requests, "cancelled"));
    return report(requests, model);
  } finally {
    if (twin) await deleteTwin(admin, twin, hooks);
    if (restore) await putBack(admin, plan.keyHash, restore, hooks);
  }
}

/** A twin of the key: its limits and models (its team only if asked), mocks allowed, a short life. */
async function makeTwin(admin: LiteLLMClient, info: KeyInfo, plan: BurstPlan, hooks: BurstHooks): Promise<string> {
  const alias = `inflight-burst-${info.key_alias ?? plan.keyHash.slice(0, 8)}-${crypto.randomBytes(3).toString("hex")}`;
  const made = await admin.generateKey({
    key_alias: alias,
    duration: TWIN_DURATION,
    models: info.models,
    max_parallel_requests: info.max_parallel_requests,
    rpm_limit: info.rpm_limit,
    tpm_limit: info.tpm_limit,
    metadata: { [MOCK_FLAG]: true, [TWIN_OF]: plan.keyHash },
    ...(plan.twinInTeam && info.team_id ? { team_id: info.team_id } : {}),
  });
  // Recorded the moment it exists: a crash from here on leaves a twin the repair deletes.
  await hooks.cleanup?.twin(hashKey(made.key));
  hooks.log(`twin key ${alias} created (max_parallel_requests ${info.max_parallel_requests}${plan.twinInTeam && info.team_id ? `, in team ${info.team_id}` : ""}, expires in ${TWIN_DURATION})`);
  return made.key;
}

async function deleteTwin(admin: LiteLLMClient, twin: string, hooks: BurstHooks): Promise<void> {
  try {
    await admin.deleteKeys([twin]);
    await hooks.cleanup?.twin(null);
    hooks.log("twin key deleted");
  } catch (e) {
    hooks.log(`could not delete the twin key (${(e as Error).message}); it expires within ${TWIN_DURATION}, and Inflight tries again`);
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

/**
 * One request with a random mock answer and one token: null when the proxy answered exactly that
 * (mocks are honoured: the burst costs nothing), else what to change.
 */
async function probeMock(baseUrl: string, key: string, model: string, answer: string, keyItself: boolean): Promise<string | null> {
  const res = await fetch(proxyUrl(baseUrl, "/v1/chat/completions"), {
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
  return (
    `the proxy did not return the mock answer, so the burst would reach the provider and cost tokens: set metadata ${MOCK_FLAG}: true (the JSON boolean) on the key or its team` +
    (keyItself ? ", or allow Inflight to set it on the key for the run (--allow-mock-metadata; it is put back afterwards)" : "")
  );
}

/** The first model `/v1/models` lists for this key; null when none. */
async function firstModel(baseUrl: string, key: string): Promise<string | null> {
  const res = await fetch(proxyUrl(baseUrl, "/v1/models"), { headers: { authorization: `Bearer ${key}` } });
  if (res.status !== 200) return null;
  const body = (await res.json()) as { data?: { id?: unknown }[] };
  const id = body.data?.find((m) => typeof m.id === "string")?.id;
  return typeof id === "string" ? id : null;
}
