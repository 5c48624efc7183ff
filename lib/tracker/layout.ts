// The tracker's Redis layout, version 1: Inflight's side of docs/tracker-layout.md (the callback in
// integrations/litellm/ and the simulator's --tracker write it; a contract test holds all three).

export const PREFIX = "inflight:tracker:v1:";

export const trackerKeys = {
  /** Sorted set: the key's requests in flight, call id → start ms. */
  open: (hash: string) => `${PREFIX}open:{${hash}}`,
  /** Sorted set: key hash → last event ms. */
  keys: `${PREFIX}keys`,
  /** Stream of starts, ends, rejections and lost ends. */
  events: `${PREFIX}events`,
  /** Hash: limit type → limiter 429s of the key. */
  rejected: (hash: string) => `${PREFIX}rejected:{${hash}}`,
  /** Hash: worker id → heartbeat JSON. */
  workers: `${PREFIX}workers`,
  /** Hash: key hash → open requests pruned as older than the max age. */
  lost: `${PREFIX}lost`,
} as const;

/** One entry of the event log, as written (fields of docs/tracker-layout.md). */
export type TrackerEvent =
  | { kind: "start"; hash: string; callId: string; atMs: number; worker: string }
  | { kind: "end"; hash: string; callId: string; atMs: number; outcome: "ok" | "error" | "cancelled"; worker: string }
  | { kind: "reject"; hash: string; atMs: number; limitType: string; worker: string }
  | { kind: "lost"; hash: string; callId: string; atMs: number; worker: string };

const KINDS = { s: "start", e: "end", r: "reject", l: "lost" } as const;
const OUTCOMES = new Set(["ok", "error", "cancelled"]);

/** A stream entry's fields (flat [name, value, …] as Redis answers) as an event; null when malformed (skipped, counted). */
export function parseEvent(fields: string[]): TrackerEvent | null {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
  const kind = KINDS[f.e as keyof typeof KINDS];
  const atMs = Number(f.t);
  if (!kind || !/^[0-9a-f]{64}$/.test(f.k ?? "") || !Number.isFinite(atMs)) return null;
  const base = { hash: f.k, atMs, worker: f.w ?? "" };
  if (kind === "reject") return { kind, ...base, limitType: f.y || "other" };
  if (!f.c) return null;
  if (kind === "end") return { kind, ...base, callId: f.c, outcome: OUTCOMES.has(f.o) ? (f.o as "ok" | "error" | "cancelled") : "ok" };
  return { kind, ...base, callId: f.c };
}

/** A worker's heartbeat (`workers` hash value). */
export interface Heartbeat {
  worker: string;
  seenMs: number;
  version: string | null;
  dropped: number;
  startedMs: number | null;
}

export function parseHeartbeat(worker: string, raw: string): Heartbeat | null {
  try {
    const j = JSON.parse(raw) as Record<string, unknown>;
    if (typeof j.seen_ms !== "number") return null;
    return {
      worker,
      seenMs: j.seen_ms,
      version: typeof j.version === "string" ? j.version : null,
      dropped: typeof j.dropped === "number" ? j.dropped : 0,
      startedMs: typeof j.started_ms === "number" ? j.started_ms : null,
    };
  } catch {
    return null;
  }
}
