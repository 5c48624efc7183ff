import { percentile } from "../stats/percentile";
import type { TrackedInterval } from "./live-state";

/**
 * Whether the tracker and spend logs tell the same story, request by request. Pure.
 *
 * The tracker (the callback) sees a request's interval as it happens; its spend-log row arrives a
 * flush interval later. Each is matched by key hash and `litellm_call_id` (the row's
 * `litellm_call_id`; its `request_id` is the response id). A pair agrees when both its start and
 * its end differ by at most AGREE_MS: the callback starts a request at the deployment hook and ends
 * it at the awaited post-call hook, the proxy stamps the row around the same points, and a
 * streaming row's end may come late (stamped when the background logger runs). What never pairs is
 * counted too: a tracked request whose row never came (spend logs settled past its end: a dropped
 * log event, `disable_error_logs`), and a logged request the tracker never saw (while it was seen
 * alive: a worker without the callback). Spend logs stay the record; this only reports.
 */

/** Starts and ends within this of each other agree. */
export const AGREE_MS = 1000;
/** How long a tracked request waits for its row beyond the settled edge, and a row for its tracked start. */
export const MATCH_GRACE_MS = 30_000;
/** How often waiting requests are looked at for what can no longer pair (each look walks them all). */
export const AGREEMENT_SETTLE_MS = 5_000;
/** The report covers this much recent time (per-minute buckets). */
export const AGREEMENT_WINDOW_MS = 3_600_000;
/** Waiting requests kept at most (each side); beyond, the oldest are given up uncounted. */
const PENDING_MAX = 200_000;
/** Pairs remembered as done, so a row read again (overlapping polls) is not taken for a new one. */
const DONE_MAX = 200_000;

/** A spend-log row as the comparison needs it. */
export interface LoggedInterval {
  hash: string;
  callId: string;
  startMs: number;
  endMs: number;
}

interface Bucket {
  compared: number;
  agreed: number;
  unlogged: number;
  untracked: number;
  startDiffs: number[];
  endDiffs: number[];
}

export interface AgreementReport {
  /** Pairs compared over the window. */
  compared: number;
  agreed: number;
  /** agreed / compared; null when nothing was compared. */
  rate: number | null;
  /** 95th percentile of |start difference| and |end difference| over the pairs (ms); null without pairs. */
  startDiffP95Ms: number | null;
  endDiffP95Ms: number | null;
  /** Tracked requests whose spend-log row never came. */
  unlogged: number;
  /** Spend-log requests the tracker never saw while it was seen alive. */
  untracked: number;
  windowMs: number;
  agreeMs: number;
}

const emptyBucket = (): Bucket => ({ compared: 0, agreed: 0, unlogged: 0, untracked: 0, startDiffs: [], endDiffs: [] });

export class IntervalAgreement {
  private readonly tracked = new Map<string, TrackedInterval>();
  private readonly logged = new Map<string, LoggedInterval>();
  private readonly done = new Set<string>();
  /** Minute (epoch ms) → what was decided in it. */
  private readonly buckets = new Map<number, Bucket>();

  /**
   * @param trackingSinceMs requests that started before this (the tracker was not read yet) are
   *   left out on both sides: never compared, never counted as seen on one side only.
   */
  constructor(private readonly trackingSinceMs: number) {}

  /** Requests the tracker saw end (LiveState.takeIntervals); a lost end is counted by the reader, never compared. */
  addTracked(intervals: readonly TrackedInterval[], nowMs: number): void {
    for (const t of intervals) {
      const id = `${t.hash}:${t.callId}`;
      if (this.done.has(id)) continue;
      // Started before the comparison began: its row is left out too (see addLogged), so it cannot pair.
      if (t.outcome === "lost" || t.startMs < this.trackingSinceMs) {
        this.logged.delete(id);
        this.done.add(id);
        continue;
      }
      const row = this.logged.get(id);
      if (row) {
        this.logged.delete(id);
        this.compare(id, t, row, nowMs);
      } else this.wait(this.tracked, id, t);
    }
  }

  /** Spend-log rows as read (any read: a row read twice is compared once). Rows without a call id cannot pair. */
  addLogged(rows: readonly LoggedInterval[], nowMs: number): void {
    for (const r of rows) {
      if (r.startMs < this.trackingSinceMs) continue;
      const id = `${r.hash}:${r.callId}`;
      if (this.done.has(id)) continue;
      const t = this.tracked.get(id);
      if (t) {
        this.tracked.delete(id);
        this.compare(id, t, r, nowMs);
      } else this.wait(this.logged, id, r);
    }
  }

  /**
   * Gives up on what can no longer pair. `settledEndMs`: spend logs hold every request that ended
   * before it (the ingest cursor's end watermark). `trackerReadToMs`: the tracker has been read up
   * to here. `trackerAliveSince`: a writer has been seen continuously since then (null: not alive
   * now), so a row of a request that started before it is not expected in the tracker. `isOpen`:
   * the tracker holds the request open still (its end is late, or lost: then it is counted as such).
   */
  settle(
    opts: { settledEndMs: number | null; trackerReadToMs: number; trackerAliveSinceMs: number | null; isOpen: (hash: string, callId: string) => boolean },
    nowMs: number,
  ): void {
    if (opts.settledEndMs !== null) {
      for (const [id, t] of this.tracked) {
        if (t.endMs >= opts.settledEndMs - MATCH_GRACE_MS) continue;
        this.tracked.delete(id);
        this.finish(id, nowMs).unlogged++;
      }
    }
    for (const [id, r] of this.logged) {
      if (r.endMs >= opts.trackerReadToMs - MATCH_GRACE_MS || opts.isOpen(r.hash, r.callId)) continue;
      this.logged.delete(id);
      this.done.add(id);
      // The tracker was not watching then (not seen alive from before the request started): not its miss.
      if (opts.trackerAliveSinceMs !== null && r.startMs >= opts.trackerAliveSinceMs) this.finish(id, nowMs).untracked++;
    }
    this.trim();
  }

  report(nowMs: number): AgreementReport {
    this.forgetBefore(nowMs - AGREEMENT_WINDOW_MS);
    const sum = emptyBucket();
    for (const b of this.buckets.values()) {
      sum.compared += b.compared;
      sum.agreed += b.agreed;
      sum.unlogged += b.unlogged;
      sum.untracked += b.untracked;
      sum.startDiffs.push(...b.startDiffs);
      sum.endDiffs.push(...b.endDiffs);
    }
    return {
      compared: sum.compared,
      agreed: sum.agreed,
      rate: sum.compared ? sum.agreed / sum.compared : null,
      startDiffP95Ms: percentile(sum.startDiffs, 0.95),
      endDiffP95Ms: percentile(sum.endDiffs, 0.95),
      unlogged: sum.unlogged,
      untracked: sum.untracked,
      windowMs: AGREEMENT_WINDOW_MS,
      agreeMs: AGREE_MS,
    };
  }

  /** Requests waiting for their other half (for tests and status). */
  pending(): { tracked: number; logged: number } {
    return { tracked: this.tracked.size, logged: this.logged.size };
  }

  private compare(id: string, t: TrackedInterval, r: LoggedInterval, nowMs: number): void {
    const b = this.finish(id, nowMs);
    const ds = Math.abs(t.startMs - r.startMs);
    const de = Math.abs(t.endMs - r.endMs);
    b.compared++;
    if (ds <= AGREE_MS && de <= AGREE_MS) b.agreed++;
    b.startDiffs.push(ds);
    b.endDiffs.push(de);
  }

  /** Marks a pair decided and returns the bucket of the minute it was decided in. */
  private finish(id: string, nowMs: number): Bucket {
    this.done.add(id);
    const minute = Math.floor(nowMs / 60_000) * 60_000;
    return this.buckets.get(minute) ?? this.buckets.set(minute, emptyBucket()).get(minute)!;
  }

  private wait<T>(map: Map<string, T>, id: string, v: T): void {
    if (map.has(id)) return;
    map.set(id, v);
    // A Map iterates in insertion order: the oldest go first.
    if (map.size > PENDING_MAX) for (const old of map.keys()) if (map.delete(old) && map.size <= PENDING_MAX * 0.9) break;
  }

  private trim(): void {
    if (this.done.size > DONE_MAX) for (const old of this.done) if (this.done.delete(old) && this.done.size <= DONE_MAX * 0.9) break;
  }

  private forgetBefore(ms: number): void {
    for (const minute of this.buckets.keys()) if (minute < ms - 60_000) this.buckets.delete(minute);
  }
}

/** Fewer pairs than this say nothing about a rate. */
const MIN_PAIRS = 20;
/** Below this share of pairs agreeing, or above this share of requests seen on one side only, it is worth a look. */
const GOOD_RATE = 0.95;
const MISSING_SHARE = 0.01;

/**
 * What in a report an operator should look at, in words; null when the two agree. Requests seen on
 * one side only mean a worker without the callback (live counts too low) or spend-log rows the
 * proxy dropped (the record too low); intervals that disagree mean one side's clock or hooks.
 */
export function agreementConcern(r: AgreementReport): string | null {
  const seen = r.compared + r.unlogged + r.untracked;
  const share = (n: number) => n >= 3 && n > seen * MISSING_SHARE;
  if (share(r.untracked)) return `${r.untracked.toLocaleString("en-US")} logged requests the tracker never saw: a proxy worker may run without the callback, so live counts are low`;
  if (share(r.unlogged)) return `${r.unlogged.toLocaleString("en-US")} tracked requests have no spend-log row: the proxy dropped log events`;
  if (r.rate !== null && r.compared >= MIN_PAIRS && r.rate < GOOD_RATE) return `only ${(r.rate * 100).toFixed(1)}% of requests agree within ${r.agreeMs / 1000} s: the tracker's intervals and spend logs differ`;
  return null;
}
