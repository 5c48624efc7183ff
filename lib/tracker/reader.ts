import type Redis from "ioredis";
import { parseEvent, parseHeartbeat, trackerKeys, type Heartbeat } from "./layout";
import { LiveState } from "./live-state";
import type { LiveSeconds } from "./live-seconds";

/** Entries read per XREAD: a tick drains a burst in a few round trips. */
const BATCH = 10_000;

export interface TrackerTick {
  /** Events consumed this tick. */
  events: number;
  /** The state was re-based on the open sets (first read, trimmed log, Redis restarted). */
  rebased: boolean;
  /** Open requests pruned as older than the max age (lost ends). */
  pruned: number;
  /** Writers seen alive (heartbeat within 15 s). */
  workers: number;
  /** Stream entries that did not parse (skipped). */
  malformed: number;
}

/** A heartbeat older than this means the writer is gone. */
export const WORKER_ALIVE_MS = 15_000;

/**
 * Reads the tracker's Redis (docs/tracker-layout.md) into a LiveState: each tick follows the event
 * log from where it stopped, in one pipelined round trip (the log's new entries, its first id to
 * notice a trim, and the writers' heartbeats); it re-bases on the open sets when it cannot trust
 * the log to be complete. Open requests older than `maxAgeMs` are pruned and counted as lost
 * (written back when `canWrite`, else only left out here).
 */
export class TrackerReader {
  readonly state: LiveState;
  private lastId: string | null = null;
  heartbeats: Heartbeat[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly opts: {
      maxAgeMs: number;
      canWrite: boolean;
      /** Entries per XREAD (the bench compares batch sizes). */
      batch?: number;
      /** Read the whole log from its start instead of re-basing first (a backlog, as the bench measures). */
      replay?: boolean;
      /** Keeps the per-second live series from the changes the state accepts. */
      seconds?: LiveSeconds;
    },
  ) {
    this.state = new LiveState(opts.seconds ?? null);
    if (opts.replay) this.lastId = "0-0";
  }

  async tick(nowMs = Date.now()): Promise<TrackerTick> {
    const out: TrackerTick = { events: 0, rebased: false, pruned: 0, workers: 0, malformed: 0 };
    if (this.lastId === null) {
      await this.rebase(nowMs);
      out.rebased = true;
    }
    for (;;) {
      const res = await this.redis
        .pipeline()
        .xread("COUNT", this.opts.batch ?? BATCH, "STREAMS", trackerKeys.events, this.lastId!)
        .xrange(trackerKeys.events, "-", "+", "COUNT", 1)
        .hgetall(trackerKeys.workers)
        .exec();
      const [read, first, workers] = res!.map(([err, v]) => {
        if (err) throw err;
        return v;
      }) as [[string, [string, string[]][]][] | null, [string, string[]][], Record<string, string>];
      this.heartbeats = Object.entries(workers)
        .map(([w, raw]) => parseHeartbeat(w, raw))
        .filter((h): h is Heartbeat => h !== null);
      // The entry we read last is gone: the log was trimmed past it (entries after it may be lost
      // too), or Redis lost it (a restart): re-base. From "0-0" the whole log is read anyway.
      const firstId = first[0]?.[0] ?? null;
      if (this.lastId !== "0-0" && (firstId === null || idAfter(firstId, this.lastId!))) {
        await this.rebase(nowMs);
        out.rebased = true;
        continue;
      }
      const entries = read?.[0]?.[1] ?? [];
      for (const [id, fields] of entries) {
        const e = parseEvent(fields);
        if (e) this.state.apply(e);
        else out.malformed++;
        this.lastId = id;
      }
      out.events += entries.length;
      if (entries.length < (this.opts.batch ?? BATCH)) break;
    }
    out.workers = this.heartbeats.filter((h) => nowMs - h.seenMs < WORKER_ALIVE_MS).length;
    out.pruned = await this.pruneLost(nowMs);
    return out;
  }

  /** Loads every open set (one round trip for the index, one for the sets) and reads the log from its end. */
  private async rebase(nowMs: number): Promise<void> {
    const [hashes, last] = await Promise.all([this.redis.zrange(trackerKeys.keys, "0", "-1"), this.redis.xrevrange(trackerKeys.events, "+", "-", "COUNT", "1")]);
    const p = this.redis.pipeline();
    for (const h of hashes) p.zrange(trackerKeys.open(h), "0", "-1", "WITHSCORES");
    const sets = (await p.exec()) ?? [];
    const open = new Map<string, Map<string, number>>();
    hashes.forEach((h, i) => {
      const flat = (sets[i]?.[1] as string[] | undefined) ?? [];
      const m = new Map<string, number>();
      for (let j = 0; j + 1 < flat.length; j += 2) m.set(flat[j], Number(flat[j + 1]));
      open.set(h, m);
    });
    this.state.rebase(open, nowMs);
    // Events up to the log's newest entry are in the open sets already; an empty log: from its start.
    this.lastId = last[0]?.[0] ?? "0-0";
  }

  private async pruneLost(nowMs: number): Promise<number> {
    const stale = this.state.stale(nowMs - this.opts.maxAgeMs);
    if (!stale.length) return 0;
    for (const s of stale) this.state.apply({ kind: "lost", hash: s.hash, callId: s.callId, atMs: nowMs, worker: "inflight" });
    if (this.opts.canWrite) {
      const p = this.redis.pipeline();
      for (const s of stale) {
        p.zrem(trackerKeys.open(s.hash), s.callId);
        p.hincrby(trackerKeys.lost, s.hash, 1);
        p.xadd(trackerKeys.events, "MAXLEN", "~", 100_000, "*", "e", "l", "k", s.hash, "c", s.callId, "t", String(nowMs), "w", "inflight");
      }
      await p.exec();
    }
    return stale.length;
  }
}

/** Stream ids "ms-seq": whether a comes after b. */
function idAfter(a: string, b: string): boolean {
  const [am, as] = a.split("-").map(Number);
  const [bm, bs] = b.split("-").map(Number);
  return am > bm || (am === bm && as > bs);
}
