import type { TrackerEvent } from "./layout";
import type { LiveSeconds } from "./live-seconds";

/** A request the tracker saw start and end. */
export interface TrackedInterval {
  hash: string;
  callId: string;
  startMs: number;
  endMs: number;
  /** `lost`: pruned as open longer than the max age; its end is when it was pruned, not when it ended. */
  outcome: "ok" | "error" | "cancelled" | "lost";
}

/** How many ended call ids are remembered, so a late repeat of a start (or an end) changes nothing. */
const ENDED_MEMORY = 100_000;

/**
 * The live truth, pure: the requests in flight per key, kept from the tracker's event log (exact
 * intervals) and re-based on its open sets whenever the log cannot be trusted to be complete (a
 * first read, a restart of Inflight or of Redis, a log trimmed past where it was read).
 * Idempotent: a start of an open request, an end of one it does not hold and any repeat after an
 * end change nothing, so retries and repeated signals never double-count.
 */
export class LiveState {
  private readonly open = new Map<string, Map<string, number>>();
  private readonly ended = new Set<string>();
  /** Ended (or lost) intervals since the last `takeIntervals()` (for the spend-log comparison). */
  private intervals: TrackedInterval[] = [];
  /** Limiter 429s per key and minute (epoch s) since the last `takeRejections()`. */
  private rejections = new Map<string, Map<number, number>>();
  readonly counters = { events: 0, starts: 0, ends: 0, rejections: 0, lost: 0, repeats: 0 };

  /** @param seconds told every change it accepts, for the per-second live series. */
  constructor(private readonly seconds: LiveSeconds | null = null) {}

  /** Replaces the state with the open sets as Redis holds them at `atMs` (hash → call id → start ms). */
  rebase(openSets: Map<string, Map<string, number>>, atMs: number): void {
    this.open.clear();
    for (const [hash, members] of openSets) if (members.size) this.open.set(hash, new Map(members));
    this.seconds?.rebase(this.inFlight(), atMs);
  }

  apply(e: TrackerEvent): void {
    this.counters.events++;
    if (e.kind === "reject") {
      this.counters.rejections++;
      const minute = Math.floor(e.atMs / 60_000) * 60;
      const m = this.rejections.get(e.hash) ?? this.rejections.set(e.hash, new Map()).get(e.hash)!;
      m.set(minute, (m.get(minute) ?? 0) + 1);
      return;
    }
    const id = `${e.hash}:${e.callId}`;
    const set = this.open.get(e.hash);
    if (e.kind === "start") {
      if (this.ended.has(id) || set?.has(e.callId)) return void this.counters.repeats++;
      this.counters.starts++;
      (set ?? this.open.set(e.hash, new Map()).get(e.hash)!).set(e.callId, e.atMs);
      this.seconds?.change(e.hash, e.atMs, 1);
      return;
    }
    const startMs = set?.get(e.callId);
    if (startMs === undefined) return void this.counters.repeats++;
    set!.delete(e.callId);
    if (!set!.size) this.open.delete(e.hash);
    this.remember(id);
    this.seconds?.change(e.hash, e.atMs, -1);
    if (e.kind === "lost") this.counters.lost++;
    else this.counters.ends++;
    // Bounded should nobody take them: the oldest go (they only feed the spend-log comparison).
    if (this.intervals.length >= ENDED_MEMORY) this.intervals.splice(0, ENDED_MEMORY / 10);
    this.intervals.push({ hash: e.hash, callId: e.callId, startMs, endMs: e.atMs, outcome: e.kind === "lost" ? "lost" : e.outcome });
  }

  /** Whether the tracker holds this request open now. */
  isOpen(hash: string, callId: string): boolean {
    return this.open.get(hash)?.has(callId) ?? false;
  }

  /** Requests in flight per key now (keys with none are absent). */
  inFlight(): Map<string, number> {
    return new Map([...this.open].map(([hash, m]) => [hash, m.size]));
  }

  /** Open requests that started before `beforeMs` (ends that never came), per key. */
  stale(beforeMs: number): { hash: string; callId: string; startMs: number }[] {
    const out: { hash: string; callId: string; startMs: number }[] = [];
    for (const [hash, m] of this.open) for (const [callId, startMs] of m) if (startMs < beforeMs) out.push({ hash, callId, startMs });
    return out;
  }

  /** Limiter 429s per key and minute since the last call. */
  takeRejections(): Map<string, Map<number, number>> {
    const out = this.rejections;
    this.rejections = new Map();
    return out;
  }

  /** The completed intervals since the last call. */
  takeIntervals(): TrackedInterval[] {
    const out = this.intervals;
    this.intervals = [];
    return out;
  }

  private remember(id: string) {
    this.ended.add(id);
    // A Set iterates in insertion order: the oldest go first.
    if (this.ended.size > ENDED_MEMORY) for (const old of this.ended) if (this.ended.delete(old) && this.ended.size <= ENDED_MEMORY * 0.9) break;
  }
}
