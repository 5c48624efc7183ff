import { initialCursor, lagMs, nextChunkMs, planStep, type CursorState, type IngestTiming, type Step } from "./cursor";
import { FLUSH_LAG_DEFAULTS, FlushLagEstimator } from "./flush-lag";
import { lateRows, type LateRows } from "./late-rows";
import { normalizePage, type RowTally } from "./normalize";
import type { NextWindow, SpendLogSource, SpendLogWindow } from "./source";
import type { IngestRepository, InsertedSpan } from "./repository";
import { SPEND_LOG_SOURCE, storePage, type IngestLogger, type StoreTally } from "./store-page";
import { parseTimestampMs } from "./timestamps";

export { SPEND_LOG_SOURCE, type IngestLogger };

/** A live poll learns delays only right after another one: after a pause, "first seen" says nothing about when a row appeared. */
const MAX_POLL_GAP_MS = 60_000;

export interface StepReport extends RowTally, StoreTally {
  kind: Step["kind"];
  window: { fromMs: number; toMs: number };
  pages: number;
  rowsRead: number;
  cursor: CursorState;
  lagMs: number;
  /** The flush lag this step assumed (the setting, or more when rows were observed to appear later). */
  flushLagMs: number;
  /** Rows stored after the cursor had already said they were in (they appeared later than the flush lag). */
  late: LateRows;
  /** More settled history is waiting: call step() again right away. */
  behind: boolean;
}

/**
 * Spend-log ingest: each step reads one window from the proxy and stores its rows, the series
 * ranges to recompute and the new cursor in one transaction per page, so a crash or restart
 * resumes from the stored cursor with no gap, and re-read rows are ignored.
 */
export class SpendLogIngest {
  private chunkMs = 5 * 60_000;
  private readonly flushLag: FlushLagEstimator;
  /** When the last live poll started, while polls follow each other. */
  private lastLivePollMs: number | null = null;

  constructor(
    private readonly source: SpendLogSource,
    private readonly store: IngestRepository,
    private readonly timing: IngestTiming,
    private readonly log: IngestLogger = console,
    private readonly now: () => number = Date.now,
  ) {
    this.flushLag = new FlushLagEstimator({ floorMs: timing.flushLagMs, ...FLUSH_LAG_DEFAULTS });
  }

  /**
   * Rows found late by someone else (the reconcile pass), by how long after their end they were
   * first seen: rows later than the live window reaches (longest request + flush lag) are never
   * seen by a live poll, so only this teaches the flush lag about them.
   */
  learnDelays(atMs: number, delaysMs: readonly number[]): void {
    this.flushLag.observe(atMs, delaysMs);
  }

  /** The timings in force now: the flush lag follows what live polls and the reconcile pass observed. */
  private timingNow(nowMs: number): IngestTiming {
    return { ...this.timing, flushLagMs: this.flushLag.lagMs(nowMs) };
  }

  async step(): Promise<StepReport> {
    const now = this.now();
    const timing = this.timingNow(now);
    const cursor = (await this.store.readCursor(SPEND_LOG_SOURCE)) ?? initialCursor(now, timing);
    const plan = planStep(cursor, now, timing, this.chunkMs);
    const report: StepReport = {
      kind: plan.kind,
      window: plan.window,
      pages: 0,
      rowsRead: 0,
      inserted: 0,
      problems: {},
      newUnknownKeys: [],
      longerThanMax: 0,
      cursor,
      lagMs: lagMs(cursor, now),
      flushLagMs: timing.flushLagMs,
      late: { rows: 0, maxDelayMs: 0 },
      behind: false,
    };
    // Delays are learnt only from a poll that follows another closely: a row first seen now then
    // appeared since the last one.
    const live = plan.kind === "live";
    const learn = live && this.lastLivePollMs !== null && now - this.lastLivePollMs <= MAX_POLL_GAP_MS;
    this.lastLivePollMs = live ? now : null;
    const inserted: InsertedSpan[] = [];
    // While catching up, the source may fetch the next window's first page before this one is stored.
    const next: NextWindow | undefined = plan.kind === "catch-up" ? (pages) => this.nextCatchUpWindow(plan.after, pages) : undefined;
    const pages = this.source.pages({ ...plan.window, order: plan.kind === "live" ? "endDesc" : "startAsc" }, next);
    // Each page is stored as it arrives (the source is already fetching the next one); the cursor
    // moves only once the whole window is in.
    for await (const page of pages) {
      report.pages++;
      report.rowsRead += page.rows.length;
      const rows = normalizePage(page.rows, report, this.timing.maxRequestMs, this.log);
      inserted.push(...(await storePage(this.store, rows, null, report, this.log, live)));
      if (plan.kind === "live" && page.endDesc && this.endsBefore(page.rows, plan.stopBeforeEndMs)) break;
    }
    await storePage(this.store, [], plan.after, report, this.log, false);
    if (live) {
      report.late = lateRows(inserted, cursor, now);
      if (learn) this.flushLag.observe(now, inserted.map((r) => now - r.endMs));
    }
    report.cursor = plan.after;
    report.lagMs = lagMs(plan.after, this.now());
    if (plan.kind === "catch-up") {
      this.chunkMs = nextChunkMs(this.chunkMs, report.pages);
      report.behind = planStep(plan.after, this.now(), this.timingNow(this.now()), this.chunkMs).kind === "catch-up";
    }
    return report;
  }

  /** The window the next step will read if this one has `pages` pages (and it is still catch-up by then). */
  private nextCatchUpWindow(after: CursorState, pages: number): SpendLogWindow | null {
    const plan = planStep(after, this.now(), this.timingNow(this.now()), nextChunkMs(this.chunkMs, pages));
    return plan.kind === "catch-up" ? { ...plan.window, order: "startAsc" } : null;
  }

  /** On a newest-ended-first page, the last row ending before the watermark means the rest are stored. */
  private endsBefore(rows: unknown[], watermarkMs: number): boolean {
    for (let i = rows.length - 1; i >= 0; i--) {
      const end = parseTimestampMs((rows[i] as { endTime?: unknown } | null)?.endTime);
      if (!Number.isNaN(end)) return end < watermarkMs;
    }
    return false;
  }
}
