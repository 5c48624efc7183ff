import type Redis from "ioredis";
import { parseHeartbeat, trackerKeys, type Heartbeat } from "./layout";

/** What any instance reads of the tracker on demand: each key's requests in flight now, and the writers. */
export interface LiveSnapshot {
  atMs: number;
  /** Key hash → requests in flight (started within the max age); keys asked for and holding none are 0. */
  inFlight: Map<string, number>;
  /** The writers' heartbeats (none: no tracker has ever written here). */
  workers: Heartbeat[];
}

/**
 * One pipelined round trip for any number of keys: each key's open set counted from the max age
 * on (older members are ends that never came, pruned by the runner's reader), and the heartbeats.
 * Pages and /metrics read this; the runner's TrackerReader keeps the exact intervals.
 */
export async function readLive(redis: Redis, hashes: string[], maxAgeMs: number, nowMs = Date.now()): Promise<LiveSnapshot> {
  const p = redis.pipeline();
  for (const h of hashes) p.zcount(trackerKeys.open(h), String(nowMs - maxAgeMs), "+inf");
  p.hgetall(trackerKeys.workers);
  const res = (await p.exec()) ?? [];
  const value = (i: number) => {
    const [err, v] = res[i] ?? [new Error("no answer"), null];
    if (err) throw err;
    return v;
  };
  const inFlight = new Map(hashes.map((h, i) => [h, Number(value(i))]));
  const workers = Object.entries((value(hashes.length) as Record<string, string>) ?? {})
    .map(([w, raw]) => parseHeartbeat(w, raw))
    .filter((h): h is Heartbeat => h !== null);
  return { atMs: nowMs, inFlight, workers };
}

/**
 * Live counts are shown while a writer beat within this long. The callback beats along with events
 * (at most every 5 s), so a busy proxy beats often; a quiet one may not, and then the spend-log
 * truth (0 in flight as well) stands in.
 */
export const LIVE_TRUST_MS = 60_000;

/** When a writer was last seen, and whether live truth stands now (a failed read: no). */
export function trackerSeen(snap: LiveSnapshot | null): { lastSeenMs: number | null; live: boolean } {
  const lastSeenMs = snap && snap.workers.length ? Math.max(...snap.workers.map((w) => w.seenMs)) : null;
  return { lastSeenMs, live: lastSeenMs !== null && snap !== null && snap.atMs - lastSeenMs < LIVE_TRUST_MS };
}
