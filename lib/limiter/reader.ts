/**
 * Reads what LiteLLM's limiter believes is in flight per key hash, straight from its Redis keys
 * (docs/litellm-reference.md §2.7). Read-only: only TIME, TYPE, GET, TTL, ZCOUNT, ZCARD and ZRANGE are ever sent.
 * Two pipelined round trips whatever the number of keys: TIME + TYPE of every gauge key, then the
 * reads each type needs. No Lua: the keys of different hashes live in different cluster slots.
 */
import type Redis from "ioredis";
import type { ChainableCommander } from "ioredis";
import { counterKey, legacyMinuteKey, SLOT_TTL_S, windowKey } from "./keys";

export type LimiterEra = "gauge" | "windowed" | "legacy" | "none";

export interface LimiterSample {
  keyHash: string;
  /** Redis server time of the sample (the same for every key of one read). */
  atMs: number;
  era: LimiterEra;
  /**
   * What LiteLLM believes is in flight: gauge = ZCOUNT of slots younger than 3600 s (Redis TIME);
   * windowed = the counter clamped at 0 (0 if the counter expired between the two round trips);
   * legacy = current_requests of the current UTC minute's key (0 when only the previous minute's
   * key exists: v1 starts every minute from nothing); null when era none or the value is unreadable.
   */
  believedInFlight: number | null;
  /** The raw counter as stored: may be negative or above the limit (windowed); ZCARD for gauge (stale slots included); null if none. */
  rawCounter: number | null;
  /**
   * windowed: epoch seconds of `{api_key:H}:window`, its TTL (null when the key is missing or has no
   * expiry), and whether the window has already rolled (missing, or now - start >= window size, so
   * LiteLLM resets the counter at the next request). "now" is Redis TIME: the proxy clock is unknowable.
   */
  windowStartS: number | null;
  windowTtlS: number | null;
  windowExpired: boolean | null;
  /** gauge: age in seconds of the oldest stored slot, counted or stale (a slot far older than any request = a leaked/stuck slot). */
  oldestSlotAgeS: number | null;
  /**
   * `{api_key:H}:requests` (this window's request count) and `:tokens` (float string). Legacy v1 has no
   * such keys: there they are current_rpm and current_tpm of the current minute, v1's window.
   */
  requests: number | null;
  tokens: number | null;
}

export interface LimiterReadResult {
  samples: LimiterSample[];
  redisTimeMs: number;
}

/** Any failure to read (Redis down, timeout, a key changing type mid-read): the sampler reports it as stale. */
export class LimiterReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`reading LiteLLM's limiter state from Redis failed: ${message}`, options);
    this.name = "LimiterReadError";
  }
}

/**
 * Sends a pipeline and returns its replies. A standalone pipeline reports every failure, a dead
 * connection included, per command rather than by rejecting, so each is checked and wrapped.
 */
async function run(pipeline: ChainableCommander, labels: string[]): Promise<unknown[]> {
  const replies = await pipeline.exec();
  if (!replies) throw new LimiterReadError("the pipeline was discarded"); // only a MULTI under WATCH can do this
  return replies.map(([err, value], i) => {
    if (err) throw new LimiterReadError(`${labels[i]}: ${err.message}`, { cause: err });
    return value;
  });
}

/** A numeric Redis reply; null when absent or not a number (never NaN downstream). */
function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string" || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

interface LegacyMinute {
  current_requests: number;
  current_tpm: number;
  current_rpm: number;
}

/** v1's json.dumps'd dict; null when absent or not that shape. */
function parseLegacy(value: unknown): LegacyMinute | null {
  if (typeof value !== "string") return null;
  try {
    const v = JSON.parse(value) as Record<string, unknown>;
    const ok = ["current_requests", "current_tpm", "current_rpm"].every((f) => typeof v?.[f] === "number");
    return ok ? (v as unknown as LegacyMinute) : null;
  } catch {
    return null;
  }
}

const EMPTY = {
  believedInFlight: null,
  rawCounter: null,
  windowStartS: null,
  windowTtlS: null,
  windowExpired: null,
  oldestSlotAgeS: null,
  requests: null,
  tokens: null,
} as const;

/** The v3 rpm/tpm window counters, read for every key: they exist whenever the key has rpm or tpm limits, even with nothing in flight. */
interface WindowCounters {
  requests: number | null;
  tokens: number | null;
}

/** Turns the replies to the reads a plan queued (in order) into a sample's fields. */
type Decoder = (replies: unknown[], counters: WindowCounters) => Omit<LimiterSample, "keyHash" | "atMs">;

function planGauge(p: ChainableCommander, labels: string[], hash: string, nowS: number): Decoder {
  const key = counterKey(hash, "max_parallel_requests");
  // Exclusive bound: PARALLEL_ACQUIRE_SCRIPT prunes scores <= now - ttl, so only younger slots count.
  p.zcount(key, `(${nowS - SLOT_TTL_S}`, "+inf").zcard(key).zrange(key, 0, "0", "WITHSCORES");
  labels.push(`ZCOUNT ${key}`, `ZCARD ${key}`, `ZRANGE ${key}`);
  return ([counted, stored, oldest], counters) => {
    // [member, score] flat, or nested with a numeric score on a connection using replyMapping "resp3".
    const oldestScore = Array.isArray(oldest) ? toNumber(oldest.flat()[1]) : null;
    return {
      ...EMPTY,
      ...counters,
      era: "gauge",
      believedInFlight: Number(counted),
      rawCounter: Number(stored),
      oldestSlotAgeS: oldestScore === null ? null : nowS - oldestScore,
    };
  };
}

function planWindowed(p: ChainableCommander, labels: string[], hash: string, nowS: number, windowSizeS: number): Decoder {
  const key = counterKey(hash, "max_parallel_requests");
  const win = windowKey(hash);
  p.get(key).get(win).ttl(win);
  labels.push(`GET ${key}`, `GET ${win}`, `TTL ${win}`);
  return ([counterRaw, startRaw, ttl], counters) => {
    const counter = toNumber(counterRaw);
    const start = toNumber(startRaw);
    return {
      ...EMPTY,
      ...counters,
      era: "windowed",
      // A counter that expired since TYPE means LiteLLM now starts from nothing; an unreadable one is unknown.
      believedInFlight: counterRaw === null ? 0 : counter === null ? null : Math.max(0, counter),
      rawCounter: counter,
      windowStartS: start,
      windowTtlS: typeof ttl === "number" && ttl >= 0 ? ttl : null,
      // A missing window key makes BATCH_RATE_LIMITER_SCRIPT reset the counter just as a rolled one does.
      windowExpired: start === null || nowS - start >= windowSizeS,
    };
  };
}

/** No gauge key: either v1's per-minute keys exist (era legacy) or LiteLLM tracks nothing for this key right now. */
function planUntyped(p: ChainableCommander, labels: string[], hash: string, nowMs: number): Decoder {
  const current = legacyMinuteKey(hash, nowMs);
  // The previous minute too: the proxy clock may lag Redis, and a key there still proves v1 is in use.
  const previous = legacyMinuteKey(hash, nowMs - 60_000);
  p.get(current).get(previous);
  labels.push(`GET ${current}`, `GET ${previous}`);
  return ([currentRaw, previousRaw], counters) => {
    if (currentRaw === null && previousRaw === null) return { ...EMPTY, ...counters, era: "none" };
    const minute = parseLegacy(currentRaw);
    return {
      ...EMPTY,
      era: "legacy",
      believedInFlight: currentRaw === null ? 0 : (minute?.current_requests ?? null),
      rawCounter: minute?.current_requests ?? null,
      requests: minute?.current_rpm ?? null,
      tokens: minute?.current_tpm ?? null,
    };
  };
}

/**
 * For each key hash, LiteLLM's limiter state as stored in Redis. Rejects with a LimiterReadError when
 * Redis cannot answer; it relies on the connection failing fast (enableOfflineQueue: false,
 * maxRetriesPerRequest: 1, as lib/redis/connection.ts sets up) rather than queueing while Redis is down.
 */
export async function readLimiterState(
  redis: Redis,
  keyHashes: string[],
  opts?: { windowSizeS?: number /* LITELLM_RATE_LIMIT_WINDOW_SIZE */ },
): Promise<LimiterReadResult> {
  const windowSizeS = opts?.windowSizeS ?? 60;

  const first = redis.pipeline().time();
  const firstLabels = ["TIME"];
  for (const hash of keyHashes) {
    const key = counterKey(hash, "max_parallel_requests");
    first.type(key);
    firstLabels.push(`TYPE ${key}`);
  }
  const [time, ...types] = await run(first, firstLabels);
  const [secs, micros] = time as [string, string];
  const nowS = Number(secs);
  const redisTimeMs = nowS * 1000 + Math.floor(Number(micros) / 1000);

  if (keyHashes.length === 0) return { samples: [], redisTimeMs };

  const second = redis.pipeline();
  const labels: string[] = [];
  const plans = keyHashes.map((hash, i) => {
    const from = labels.length;
    const decode =
      types[i] === "zset"
        ? planGauge(second, labels, hash, nowS)
        : types[i] === "string"
          ? planWindowed(second, labels, hash, nowS, windowSizeS)
          : // "none", or a type LiteLLM never writes there (another program's key): nothing of the gauge to read.
            planUntyped(second, labels, hash, redisTimeMs);
    const requests = counterKey(hash, "requests");
    const tokens = counterKey(hash, "tokens");
    second.get(requests).get(tokens);
    labels.push(`GET ${requests}`, `GET ${tokens}`);
    return { hash, decode, from, to: labels.length };
  });
  const replies = await run(second, labels);

  const samples = plans.map(({ hash, decode, from, to }): LimiterSample => {
    const own = replies.slice(from, to - 2);
    const counters = { requests: toNumber(replies[to - 2]), tokens: toNumber(replies[to - 1]) };
    return { keyHash: hash, atMs: redisTimeMs, ...decode(own, counters) };
  });
  return { samples, redisTimeMs };
}
