/**
 * The three limiter eras (docs/litellm-reference.md §0, §2). Each simulated uvicorn worker has its own LocalCache (DualCache's
 * in-memory half); without Redis that cache is also where the counters live, so they are per worker.
 */
import Redis from "ioredis";
import type { LimiterMode } from "./config";
import { ProxyError } from "./http";
import {
  BATCH_RATE_LIMITER_SCRIPT_B,
  BATCH_RATE_LIMITER_SCRIPT_C,
  PARALLEL_ACQUIRE_SCRIPT,
  PARALLEL_RELEASE_SCRIPT,
  TOKEN_INCREMENT_SCRIPT,
} from "./scripts";
import { pyFloat, uuidHex, ymdHms } from "./util";

export interface KeyLimits {
  hash: string;
  rpm: number | null;
  tpm: number | null;
  mpr: number | null;
}

/** How a request ended, for the limiter's release paths. */
export type Outcome = "success" | "failure" | "disconnect" | "stuck";

export interface Admitted {
  ok: true;
  /** Rate-limit response headers (computed when the response is written). */
  headers(): Record<string, string>;
  /**
   * Runs the limiter's release path. Resolves when the caller may answer the client: era C releases its slot in
   * the awaited post-call path (PR 40843) so this waits for Redis; eras A/B decrement from async logging callbacks
   * that run after the response, so this resolves at once.
   */
  release(outcome: Outcome, completionTokens: number, totalTokens: number): Promise<void>;
}

export interface Rejected {
  ok: false;
  error: ProxyError;
  /** `metadata.error_information.error_class` of the spend-log row. */
  errorClass: string;
}

export interface Limiter {
  admit(worker: number, key: KeyLimits): Promise<Admitted | Rejected>;
  close(): Promise<void>;
}

/** DualCache's in-memory cache: values with a TTL, expired lazily on read and by a periodic sweep. */
export class LocalCache {
  private m = new Map<string, { v: unknown; exp: number }>();
  get(k: string): unknown {
    const e = this.m.get(k);
    if (e === undefined) return undefined;
    if (e.exp <= Date.now()) {
      this.m.delete(k);
      return undefined;
    }
    return e.v;
  }
  set(k: string, v: unknown, ttlS: number): void {
    this.m.set(k, { v, exp: Date.now() + ttlS * 1000 });
  }
  /** InMemoryCache.async_increment: (value or 0) + by, stored with the op's ttl. */
  incr(k: string, by: number, ttlS: number): number {
    const cur = this.get(k);
    const nv = (cur === undefined || cur === null ? 0 : Number(cur)) + by;
    this.set(k, nv, ttlS);
    return nv;
  }
  sweep(): void {
    const now = Date.now();
    for (const [k, e] of this.m) if (e.exp <= now) this.m.delete(k);
  }
  entries(): [string, unknown][] {
    this.sweep();
    return [...this.m].map(([k, e]) => [k, e.v]);
  }
}

type Cmd = (...args: (string | number)[]) => Promise<unknown>;

/** One ioredis connection with LiteLLM's scripts registered (EVALSHA, auto-pipelined). */
export class RedisScripts {
  readonly redis: Redis;
  private batchB: Cmd;
  private batchC: Cmd;
  private tokenIncr: Cmd;
  private acquire: Cmd;
  private releaseCmd: Cmd;
  private warned = false;

  constructor(url: string) {
    this.redis = new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 2, lazyConnect: true });
    this.redis.on("error", (e) => this.warn(e));
    const def = (name: string, lua: string): Cmd => {
      this.redis.defineCommand(name, { lua });
      const r = this.redis as unknown as Record<string, Cmd>;
      return (...args) => r[name](...args);
    };
    this.batchB = def("litellmBatchRateLimiterB", BATCH_RATE_LIMITER_SCRIPT_B);
    this.batchC = def("litellmBatchRateLimiterC", BATCH_RATE_LIMITER_SCRIPT_C);
    this.tokenIncr = def("litellmTokenIncrement", TOKEN_INCREMENT_SCRIPT);
    this.acquire = def("litellmParallelAcquire", PARALLEL_ACQUIRE_SCRIPT);
    this.releaseCmd = def("litellmParallelRelease", PARALLEL_RELEASE_SCRIPT);
  }

  async connect(): Promise<void> {
    await this.redis.connect();
    await this.redis.ping();
  }

  warn(e: unknown): void {
    if (this.warned) return;
    this.warned = true;
    console.error(`simulator: redis error (falling back to in-memory counters for that call, as LiteLLM does): ${(e as Error).message}`);
  }

  batch(era: "B" | "C", keys: string[], now: number, window: number): Promise<unknown[]> {
    const f = era === "B" ? this.batchB : this.batchC;
    return f(keys.length, ...keys, now, window) as Promise<unknown[]>;
  }
  increment(ops: [string, number, number][]): Promise<unknown> {
    const keys = ops.map((o) => o[0]);
    const args = ops.flatMap((o) => [o[1], o[2]]);
    return this.tokenIncr(keys.length, ...keys, ...args);
  }
  parallelAcquire(key: string, limit: number, slotTtl: number, slot: string): Promise<number[]> {
    return this.acquire(1, key, limit, slotTtl, slot) as Promise<number[]>;
  }
  parallelRelease(key: string, slot: string): Promise<number[]> {
    return this.releaseCmd(1, key, slot) as Promise<number[]>;
  }
  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}

export const counterKey = (hash: string, type: "requests" | "tokens" | "max_parallel_requests") => `{api_key:${hash}}:${type}`;
export const windowKey = (hash: string) => `{api_key:${hash}}:window`;

interface PairMeta {
  type: "requests" | "tokens" | "max_parallel_requests";
  limit: number;
}
interface Status {
  over: boolean;
  type: PairMeta["type"];
  limit: number;
  remaining: number;
}

/** _create_rate_limit_descriptors + should_rate_limit's keys_to_fetch for the api_key descriptor. */
function descriptorPairs(k: KeyLimits, withParallel: boolean): { keys: string[]; meta: PairMeta[] } {
  const keys: string[] = [];
  const meta: PairMeta[] = [];
  const w = windowKey(k.hash);
  if (k.rpm !== null) {
    keys.push(w, counterKey(k.hash, "requests"));
    meta.push({ type: "requests", limit: k.rpm });
  }
  if (k.tpm !== null) {
    keys.push(w, counterKey(k.hash, "tokens"));
    meta.push({ type: "tokens", limit: k.tpm });
  }
  if (withParallel && k.mpr !== null) {
    keys.push(w, counterKey(k.hash, "max_parallel_requests"));
    meta.push({ type: "max_parallel_requests", limit: k.mpr });
  }
  return { keys, meta };
}

/** is_cache_list_over_limit: OVER_LIMIT iff int(counter) > limit; remaining = limit - counter. */
function checkValues(values: unknown[], meta: PairMeta[]): Status[] {
  return meta.map((m, i) => {
    const raw = values[2 * i + 1];
    const counter = raw === undefined || raw === null ? null : Math.trunc(Number(raw));
    return {
      over: counter !== null && counter > m.limit,
      type: m.type,
      limit: m.limit,
      remaining: counter === null ? m.limit : m.limit - counter,
    };
  });
}

/** in_memory_cache_sliding_window: the Lua script's logic over the worker's local cache. */
function memorySlidingWindow(local: LocalCache, keys: string[], now: number, window: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < keys.length; i += 2) {
    const wk = keys[i];
    const ck = keys[i + 1];
    const ws = local.get(wk);
    if (ws === undefined || ws === null || now - Math.trunc(Number(ws)) >= window) {
      local.set(wk, String(now), window);
      local.set(ck, 1, window);
      out.push(String(now), 1);
    } else {
      const cur = local.get(ck);
      const nv = (cur === undefined || cur === null ? 0 : Math.trunc(Number(cur))) + 1;
      local.set(ck, nv, window);
      out.push(ws, nv);
    }
  }
  return out;
}

function statusHeaders(statuses: Status[]): Record<string, string> {
  const h: Record<string, string> = {};
  for (const s of statuses) {
    h[`x-ratelimit-api_key-remaining-${s.type}`] = String(s.remaining);
    h[`x-ratelimit-api_key-limit-${s.type}`] = String(s.limit);
  }
  return h;
}

/** _handle_rate_limit_error (§2.6, §9.5). Era B: HTTPException → type/param "None"; era C: ProxyRateLimitError. */
function v3Reject(era: "B" | "C", hash: string, s: { type: string; limit: number; remaining: number }, window: number): Rejected {
  // LiteLLM formats a naive datetime.fromtimestamp() and appends " UTC"; the simulator always prints UTC.
  const reset = `${ymdHms(Date.now() + window * 1000)} UTC`;
  const message =
    `Rate limit exceeded for api_key: ${hash}. Limit type: ${s.type}. ` +
    `Current limit: ${s.limit}, Remaining: ${Math.max(0, s.remaining)}. Limit resets at: ${reset}`;
  const headers = { "retry-after": String(window), rate_limit_type: s.type, reset_at: reset };
  return era === "B"
    ? { ok: false, error: new ProxyError(429, message, "None", "None", headers), errorClass: "HTTPException" }
    : { ok: false, error: new ProxyError(429, message, "throttling_error", null, headers), errorClass: "ProxyRateLimitError" };
}

abstract class V3Base implements Limiter {
  protected locals: LocalCache[];
  private sweeper: NodeJS.Timeout;
  constructor(
    protected era: "B" | "C",
    protected redis: RedisScripts | null,
    protected window: number,
    workers: number,
  ) {
    this.locals = Array.from({ length: workers }, () => new LocalCache());
    this.sweeper = setInterval(() => this.locals.forEach((l) => l.sweep()), 10_000);
    this.sweeper.unref();
  }
  abstract admit(worker: number, key: KeyLimits): Promise<Admitted | Rejected>;

  /** should_rate_limit for the given pairs: local pre-check, then Redis (or the in-memory fallback). */
  protected async windowed(w: number, keys: string[], meta: PairMeta[]): Promise<{ statuses: Status[]; from: "local" | "store" }> {
    const local = this.locals[w];
    if (keys.length === 0) return { statuses: [], from: "store" };
    const cached = keys.map((k) => local.get(k));
    const pre = checkValues(cached, meta);
    if (pre.some((s) => s.over)) return { statuses: pre, from: "local" };
    const now = Math.floor(Date.now() / 1000);
    let values: unknown[];
    if (this.redis) {
      try {
        values = await this.redis.batch(this.era, keys, now, this.window);
        for (let i = 0; i < keys.length; i += 2) {
          local.set(keys[i + 1], values[i + 1], this.window);
          local.set(keys[i], values[i], this.window);
        }
      } catch (e) {
        this.redis.warn(e);
        values = memorySlidingWindow(local, keys, now, this.window);
      }
    } else {
      values = memorySlidingWindow(local, keys, now, this.window);
    }
    return { statuses: checkValues(values, meta), from: "store" };
  }

  /** Success path token increment (and era B's -1), via TOKEN_INCREMENT_SCRIPT or the in-memory pipeline. */
  protected increment(w: number, ops: [string, number][], localToo: boolean): void {
    const local = this.locals[w];
    if (this.redis) {
      if (localToo) for (const [k, by] of ops) local.incr(k, by, this.window);
      this.redis.increment(ops.map(([k, by]) => [k, by, this.window])).catch((e) => {
        this.redis!.warn(e);
        if (!localToo) for (const [k, by] of ops) local.incr(k, by, this.window);
      });
    } else {
      for (const [k, by] of ops) local.incr(k, by, this.window);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  /** Debug view of the worker-local caches (GET /sim/limiter). */
  localState(): Record<string, unknown>[] {
    return this.locals.map((l) => Object.fromEntries(l.entries()));
  }
}

/** Era B (#16011): string counter, increment-then-check, reset to 1 at each window roll, no floor, sticky local 429s. */
export class WindowedLimiter extends V3Base {
  constructor(redis: RedisScripts | null, window: number, workers: number) {
    super("B", redis, window, workers);
  }

  async admit(w: number, k: KeyLimits): Promise<Admitted | Rejected> {
    const { keys, meta } = descriptorPairs(k, true);
    const { statuses } = await this.windowed(w, keys, meta);
    const over = statuses.find((s) => s.over);
    if (over) return v3Reject("B", k.hash, over, this.window);
    const headers = statusHeaders(statuses);
    let released = false;
    return {
      ok: true,
      headers: () => headers,
      release: async (outcome, completionTokens) => {
        if (released) return;
        released = true;
        const mpr = counterKey(k.hash, "max_parallel_requests");
        if (outcome === "success") {
          // async_log_success_event: INCRBYFLOAT -1 on the parallel counter (Redis only) + tokens
          this.increment(w, [[mpr, -1], [counterKey(k.hash, "tokens"), completionTokens]], false);
        } else if (outcome === "failure") {
          // async_log_failure_event: DualCache pipeline, so the local copy is decremented too
          this.increment(w, [[mpr, -1]], true);
        }
        // disconnect: no release path in era B; stuck: the count is never released
      },
    };
  }
}

/**
 * Era C (PR #32441): windowed rpm/tpm first, then a ZSET gauge of slot ids, released by slot id. A slot that is never
 * released lives `slotTtl` seconds (PARALLEL_REQUEST_SLOT_TTL_SECONDS): pruned by score at a later acquire, or gone
 * with the whole key, whose EXPIRE each acquire refreshes; the worker's mirror of the count lives as long.
 */
export class GaugeLimiter extends V3Base {
  private registries: Map<string, Map<string, number>>[];
  constructor(
    redis: RedisScripts | null,
    window: number,
    workers: number,
    private slotTtl: number,
  ) {
    super("C", redis, window, workers);
    this.registries = Array.from({ length: workers }, () => new Map());
  }

  private memAcquire(w: number, key: string, limit: number, slot: string): { ok: boolean; inFlight: number } {
    const now = Math.floor(Date.now() / 1000);
    let reg = this.registries[w].get(key);
    if (!reg) this.registries[w].set(key, (reg = new Map()));
    for (const [s, ts] of reg) if (ts <= now - this.slotTtl) reg.delete(s);
    if (reg.size + 1 > limit) return { ok: false, inFlight: reg.size };
    reg.set(slot, now);
    return { ok: true, inFlight: reg.size };
  }

  async admit(w: number, k: KeyLimits): Promise<Admitted | Rejected> {
    const { keys, meta } = descriptorPairs(k, false);
    const { statuses } = await this.windowed(w, keys, meta);
    const over = statuses.find((s) => s.over);
    if (over) return v3Reject("C", k.hash, over, this.window);

    let slot: string | null = null;
    let useMemory = !this.redis;
    const gk = counterKey(k.hash, "max_parallel_requests");
    const local = this.locals[w];
    if (k.mpr !== null) {
      const limit = k.mpr;
      if (this.redis) {
        const mirror = local.get(gk);
        if (mirror !== undefined && Number(mirror) >= limit) {
          return v3Reject("C", k.hash, { type: "max_parallel_requests", limit, remaining: limit - Number(mirror) }, this.window);
        }
      }
      slot = uuidHex();
      let inFlight: number;
      if (this.redis) {
        try {
          const r = await this.redis.parallelAcquire(gk, limit, this.slotTtl, slot);
          if (Number(r[0]) === 1) {
            return v3Reject("C", k.hash, { type: "max_parallel_requests", limit, remaining: limit - Number(r[2]) }, this.window);
          }
          inFlight = Number(r[1]);
          local.set(gk, inFlight, this.slotTtl);
        } catch (e) {
          this.redis.warn(e);
          useMemory = true;
        }
      }
      if (useMemory) {
        const r = this.memAcquire(w, gk, limit, slot);
        if (!r.ok) return v3Reject("C", k.hash, { type: "max_parallel_requests", limit, remaining: limit - r.inFlight }, this.window);
        inFlight = r.inFlight;
      }
      statuses.push({ over: false, type: "max_parallel_requests", limit, remaining: Math.max(0, limit - inFlight!) });
    }
    const headers = statusHeaders(statuses);
    let released = false;
    return {
      ok: true,
      headers: () => headers,
      release: async (outcome, completionTokens) => {
        if (released) return;
        released = true;
        if (outcome === "success") this.increment(w, [[counterKey(k.hash, "tokens"), completionTokens]], false);
        if (slot !== null && outcome !== "stuck") {
          if (useMemory) {
            this.registries[w].get(gk)?.delete(slot);
          } else {
            try {
              const r = await this.redis!.parallelRelease(gk, slot);
              local.set(gk, Number(r[0]), this.slotTtl);
            } catch (e) {
              this.redis!.warn(e);
            }
          }
        }
      },
    };
  }

  /** In-memory registries (no Redis): in-flight slot counts per worker. */
  memoryInFlight(): Record<string, number>[] {
    return this.registries.map((r) => Object.fromEntries([...r].map(([k, m]) => [k, m.size])));
  }
}

const SYS_MAXSIZE = "9223372036854775807";

interface Minute {
  current_requests: number;
  current_tpm: number;
  current_rpm: number;
}

/** Era A: v1 _PROXY_MaxParallelRequestsHandler, per-minute in-process dict, decrement on the completion minute, floor 0. */
export class LegacyLimiter implements Limiter {
  private caches: LocalCache[];
  private sweeper: NodeJS.Timeout;
  constructor(workers: number) {
    this.caches = Array.from({ length: workers }, () => new LocalCache());
    this.sweeper = setInterval(() => this.caches.forEach((c) => c.sweep()), 10_000);
    this.sweeper.unref();
  }

  static minuteKey(hash: string, at = Date.now()): string {
    const s = new Date(at).toISOString(); // container clock is UTC
    return `${hash}::${s.slice(0, 10)}-${s.slice(11, 13)}-${s.slice(14, 16)}::request_count`;
  }

  /**
   * v1 sends `str(self.time_to_next_minute())`, the float `(next_minute - datetime.now()).total_seconds()`: not a whole
   * number ("59.792631"; "60.0" on the boundary). Date.now() gives milliseconds where Python has microseconds.
   */
  private static retryAfter(): string {
    return pyFloat((60000 - (Date.now() % 60000)) / 1000);
  }

  async admit(w: number, k: KeyLimits): Promise<Admitted | Rejected> {
    const cache = this.caches[w];
    const key = LegacyLimiter.minuteKey(k.hash);
    const cur = cache.get(key) as Minute | undefined;
    const mpr = k.mpr ?? Infinity;
    const tpm = k.tpm ?? Infinity;
    const rpm = k.rpm ?? Infinity;
    const show = (n: number | null) => (n === null ? SYS_MAXSIZE : String(n));
    let next: Minute;
    if (cur === undefined) {
      if (mpr === 0 || tpm === 0 || rpm === 0) {
        const detail =
          `Max parallel request limit reached Crossed TPM / RPM / Max Parallel Request Limit. Hit limit for key. ` +
          `Current limits: max_parallel_requests: ${show(k.mpr)}, tpm_limit: ${show(k.tpm)}, rpm_limit: ${show(k.rpm)}`;
        return { ok: false, error: new ProxyError(429, detail, "None", "None", { "retry-after": LegacyLimiter.retryAfter() }), errorClass: "HTTPException" };
      }
      next = { current_requests: 1, current_tpm: 0, current_rpm: 1 };
    } else if (cur.current_requests < mpr && cur.current_tpm < tpm && cur.current_rpm < rpm) {
      next = { current_requests: cur.current_requests + 1, current_tpm: cur.current_tpm, current_rpm: cur.current_rpm + 1 };
    } else {
      const detail =
        `LiteLLM Rate Limit Handler for rate limit type = key. Crossed TPM / RPM / Max Parallel Request Limit. ` +
        `current rpm: ${cur.current_rpm}, rpm limit: ${show(k.rpm)}, current tpm: ${cur.current_tpm}, tpm limit: ${show(k.tpm)}, ` +
        `current max_parallel_requests: ${cur.current_requests}, max_parallel_requests: ${show(k.mpr)}`;
      return { ok: false, error: new ProxyError(429, detail, "None", "None", { "retry-after": LegacyLimiter.retryAfter() }), errorClass: "HTTPException" };
    }
    cache.set(key, next, 60);
    let released = false;
    return {
      ok: true,
      headers: () => {
        // async_post_call_success_hook: remaining rpm/tpm of the current minute, only for limits that are set
        const now = cache.get(LegacyLimiter.minuteKey(k.hash)) as Minute | undefined;
        const h: Record<string, string> = {};
        if (now) {
          if (k.rpm !== null) {
            h["x-ratelimit-remaining-requests"] = String(k.rpm - now.current_rpm);
            h["x-ratelimit-limit-requests"] = String(k.rpm);
          }
          if (k.tpm !== null) {
            h["x-ratelimit-remaining-tokens"] = String(k.tpm - now.current_tpm);
            h["x-ratelimit-limit-tokens"] = String(k.tpm);
          }
        }
        return h;
      },
      release: async (outcome, _completion, totalTokens) => {
        if (released) return;
        released = true;
        if (outcome !== "success" && outcome !== "failure") return;
        const mk = LegacyLimiter.minuteKey(k.hash); // the minute at completion time
        const c = (cache.get(mk) as Minute | undefined) ?? { current_requests: 1, current_tpm: 0, current_rpm: 0 };
        cache.set(
          mk,
          {
            current_requests: Math.max(c.current_requests - 1, 0),
            current_tpm: c.current_tpm + (outcome === "success" ? totalTokens : 0),
            current_rpm: c.current_rpm,
          },
          60,
        );
      },
    };
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  localState(): Record<string, unknown>[] {
    return this.caches.map((c) => Object.fromEntries(c.entries()));
  }
}

export function createLimiter(mode: LimiterMode, redis: RedisScripts | null, window: number, workers: number, slotTtl: number): Limiter {
  if (mode === "gauge") return new GaugeLimiter(redis, window, workers, slotTtl);
  if (mode === "windowed") return new WindowedLimiter(redis, window, workers);
  return new LegacyLimiter(workers);
}
