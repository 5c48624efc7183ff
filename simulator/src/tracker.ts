/**
 * `--tracker`: the simulator as a proxy with Inflight's LiteLLM callback mounted (integrations/litellm/inflight_tracker.py).
 * It writes the Redis layout of docs/tracker-layout.md (v1, the contract) at the points of a request where the
 * callback would write it (docs/litellm-reference.md §11): a start per upstream attempt, an end, a limiter rejection, and a
 * heartbeat per simulated worker. The key names are written out here again, not imported from Inflight's
 * lib/tracker: the simulator shares no code with Inflight, so a mistake in one cannot hide in both.
 */
import os from "node:os";
import Redis, { type ChainableCommander } from "ioredis";
import type { ProxyError } from "./http";

const PREFIX = "inflight:tracker:v1:";
const openKey = (hash: string) => `${PREFIX}open:{${hash}}`;
const rejectedKey = (hash: string) => `${PREFIX}rejected:{${hash}}`;
const KEYS = `${PREFIX}keys`;
const EVENTS = `${PREFIX}events`;
const WORKERS = `${PREFIX}workers`;

/** INFLIGHT_TRACKER_MAX_AGE_S's default (LiteLLM's active_request_ttl_seconds): open sets live twice as long. */
const OPEN_TTL_MS = 2 * 1800 * 1000;
const EVENTS_MAXLEN = 100_000;
const HEARTBEAT_MS = 5000;
/**
 * The callback's short Redis timeout: the longest a response waits for its write. A write that is only late still
 * lands (the command is not withdrawn), so it is not counted as dropped.
 */
const WRITE_WAIT_MS = 500;

export type EndOutcome = "ok" | "error" | "cancelled";
export type LimitType = "max_parallel_requests" | "rpm" | "tpm" | "other";

/**
 * The limit type of a limiter 429, read as the callback reads it: the `rate_limit_type` header the v3 limiters
 * (eras B and C) put on their exception; the v1 limiter's 429 names no type.
 */
export function limitTypeOf(e: ProxyError): LimitType {
  const t = e.headers.rate_limit_type;
  return t === "requests" ? "rpm" : t === "tokens" ? "tpm" : t === "max_parallel_requests" ? t : "other";
}

export class Tracker {
  /** `host:pid` as the callback names its process, plus the simulated worker's index (they share one process here). */
  readonly workerIds: string[];
  private readonly redis: Redis;
  private readonly startedMs = Date.now();
  /** Per worker: events lost to Redis errors since start (the heartbeat's `dropped`). */
  private readonly dropped: number[];
  private readonly written = { start: 0, end: { ok: 0, error: 0, cancelled: 0 }, rejection: {} as Record<string, number>, heartbeat: 0 };
  private heartbeat: NodeJS.Timeout | null = null;
  private warned = false;

  constructor(
    url: string,
    workers: number,
    /** The heartbeat's `version`: what is writing. */
    private readonly version: string,
  ) {
    this.workerIds = Array.from({ length: workers }, (_, i) => `${os.hostname()}:${process.pid}:${i}`);
    this.dropped = new Array<number>(workers).fill(0);
    // Its own connection, not the limiter's. No offline queue and no resending: while Redis is away a write fails at
    // once and its event is dropped, rather than holding a response or landing out of order later.
    this.redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false });
    this.redis.on("error", (e) => this.warn(e));
  }

  async connect(): Promise<void> {
    await this.redis.connect();
    this.beat();
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * An attempt goes upstream (async_pre_call_deployment_hook, once per attempt): router retries repeat the start with
   * the same call id, and ZADD NX keeps the first start's score. Not awaited: the connection sends commands in order,
   * so the end still lands after it, and the request does not wait for it.
   */
  start(worker: number, hash: string, callId: string): void {
    const t = Date.now();
    void this.write(worker, (p) => {
      p.zadd(openKey(hash), "NX", t, callId).pexpire(openKey(hash), OPEN_TTL_MS).zadd(KEYS, t, hash);
      this.event(p, "s", hash, callId, t, worker);
    }).then((ok) => {
      if (ok) this.written.start++;
    });
  }

  /** The request ended; resolves when the write is done, or after WRITE_WAIT_MS (the callback's awaited end hooks). */
  end(worker: number, hash: string, callId: string, outcome: EndOutcome): Promise<void> {
    const t = Date.now();
    const written = this.write(worker, (p) => {
      p.zrem(openKey(hash), callId).pexpire(openKey(hash), OPEN_TTL_MS).zadd(KEYS, t, hash);
      this.event(p, "e", hash, callId, t, worker, ["o", outcome]);
    }).then((ok) => {
      if (ok) this.written.end[outcome]++;
    });
    return bounded(written);
  }

  /** A limiter 429 (async_log_failure_event, awaited before the 429 is sent): never a start. */
  reject(worker: number, hash: string, limitType: LimitType): Promise<void> {
    const t = Date.now();
    const written = this.write(worker, (p) => {
      this.event(p, "r", hash, null, t, worker, ["y", limitType]);
      p.hincrby(rejectedKey(hash), limitType, 1);
    }).then((ok) => {
      if (ok) this.written.rejection[limitType] = (this.written.rejection[limitType] ?? 0) + 1;
    });
    return bounded(written);
  }

  /**
   * The open sets' sizes as Redis holds them once every write issued so far has run: the ZCARDs go down the same
   * connection, behind those writes. Read in the same tick as the ground truth, the two describe the same moment.
   */
  async openCounts(hashes: string[]): Promise<number[]> {
    const p = this.redis.pipeline();
    for (const h of hashes) p.zcard(openKey(h));
    const results = (await p.exec()) ?? [];
    return results.map(([e, n]) => {
      if (e) throw e;
      return Number(n);
    });
  }

  /** What it wrote (successful writes only) and dropped, for GET /sim/tracker. */
  stats(): Record<string, unknown> {
    return { workers: this.workerIds, written: this.written, dropped: this.dropped.reduce((a, b) => a + b, 0) };
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  /** One HSET per simulated worker, as each would write its own; a failed heartbeat is no event, so nothing is dropped. */
  private beat(): void {
    const p = this.redis.pipeline();
    const seen = Date.now();
    this.workerIds.forEach((id, i) => {
      p.hset(WORKERS, id, JSON.stringify({ seen_ms: seen, version: this.version, dropped: this.dropped[i], started_ms: this.startedMs }));
    });
    p.exec().then(
      (results) => {
        const failed = results?.find(([e]) => e);
        if (failed) this.warn(failed[0]);
        else this.written.heartbeat++;
      },
      (e) => this.warn(e),
    );
  }

  /** XADD with the fields in the layout's order: e k c t, then o or y, then w. */
  private event(p: ChainableCommander, kind: "s" | "e" | "r", hash: string, callId: string | null, t: number, worker: number, extra: string[] = []): void {
    const fields = ["e", kind, "k", hash, ...(callId === null ? [] : ["c", callId]), "t", String(t), ...extra, "w", this.workerIds[worker]];
    p.xadd(EVENTS, "MAXLEN", "~", EVENTS_MAXLEN, "*", ...fields);
  }

  /**
   * One pipeline (one round trip) for one lifecycle point, each command on one key. Resolves true when every command
   * succeeded; a Redis error drops the event (counted for the worker's heartbeat), whatever part of it did land.
   */
  private async write(worker: number, build: (p: ChainableCommander) => void): Promise<boolean> {
    const p = this.redis.pipeline();
    build(p);
    try {
      const failed = (await p.exec())?.find(([e]) => e);
      if (failed) throw failed[0];
      return true;
    } catch (e) {
      this.dropped[worker]++;
      this.warn(e);
      return false;
    }
  }

  private warn(e: unknown): void {
    if (this.warned) return;
    this.warned = true;
    console.error(`simulator: tracker redis error (its events are dropped and counted): ${(e as Error).message}`);
  }
}

/** `p`, or nothing after WRITE_WAIT_MS, whichever comes first. */
function bounded(p: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, WRITE_WAIT_MS);
    void p.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
