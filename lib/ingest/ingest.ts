import { initialCursor, lagMs, nextChunkMs, planStep, type CursorState, type IngestTiming, type Step } from "./cursor";
import { normalizeRow, type IngestRow, type RowProblem } from "./normalize";
import type { NextWindow, SpendLogSource, SpendLogWindow } from "./source";
import type { IngestRepository } from "./repository";
import { parseTimestampMs } from "./timestamps";

export const SPEND_LOG_SOURCE = "spend-logs";

export interface StepReport {
  kind: Step["kind"];
  window: { fromMs: number; toMs: number };
  pages: number;
  rowsRead: number;
  inserted: number;
  problems: Partial<Record<RowProblem, number>>;
  newUnknownKeys: string[];
  /** Requests longer than the configured longest duration: the live window may miss such requests. */
  longerThanMax: number;
  cursor: CursorState;
  lagMs: number;
  /** More settled history is waiting: call step() again right away. */
  behind: boolean;
}

export interface IngestLogger {
  warn(msg: string): void;
}

/**
 * Spend-log ingest: each step reads one window from the proxy and stores its rows, the series
 * ranges to recompute and the new cursor in one transaction per page, so a crash or restart
 * resumes from the stored cursor with no gap, and re-read rows are ignored.
 */
export class SpendLogIngest {
  private chunkMs = 5 * 60_000;

  constructor(
    private readonly source: SpendLogSource,
    private readonly store: IngestRepository,
    private readonly timing: IngestTiming,
    private readonly log: IngestLogger = console,
    private readonly now: () => number = Date.now,
  ) {}

  async step(): Promise<StepReport> {
    const now = this.now();
    const cursor = (await this.store.readCursor(SPEND_LOG_SOURCE)) ?? initialCursor(now, this.timing);
    const plan = planStep(cursor, now, this.timing, this.chunkMs);
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
      behind: false,
    };
    // While catching up, the source may fetch the next window's first page before this one is stored.
    const next: NextWindow | undefined = plan.kind === "catch-up" ? (pages) => this.nextCatchUpWindow(plan.after, pages) : undefined;
    const pages = this.source.pages({ ...plan.window, order: plan.kind === "live" ? "endDesc" : "startAsc" }, next);
    // Each page is stored as it arrives (the source is already fetching the next one); the cursor
    // moves only once the whole window is in.
    for await (const page of pages) {
      report.pages++;
      report.rowsRead += page.rows.length;
      await this.commit(this.normalize(page.rows, report), null, report);
      if (plan.kind === "live" && page.endDesc && this.endsBefore(page.rows, plan.stopBeforeEndMs)) break;
    }
    await this.commit([], plan.after, report);
    report.cursor = plan.after;
    report.lagMs = lagMs(plan.after, this.now());
    if (plan.kind === "catch-up") {
      this.chunkMs = nextChunkMs(this.chunkMs, report.pages);
      report.behind = planStep(plan.after, this.now(), this.timing, this.chunkMs).kind === "catch-up";
    }
    return report;
  }

  /** The window the next step will read if this one has `pages` pages (and it is still catch-up by then). */
  private nextCatchUpWindow(after: CursorState, pages: number): SpendLogWindow | null {
    const plan = planStep(after, this.now(), this.timing, nextChunkMs(this.chunkMs, pages));
    return plan.kind === "catch-up" ? { ...plan.window, order: "startAsc" } : null;
  }

  private async commit(rows: IngestRow[], cursor: CursorState | null, report: StepReport) {
    const res = await this.store.commit(SPEND_LOG_SOURCE, rows, cursor);
    report.inserted += res.inserted;
    if (res.newUnknownKeys.length) {
      report.newUnknownKeys.push(...res.newUnknownKeys);
      this.log.warn(`[ingest] spend logs name ${res.newUnknownKeys.length} key(s) the proxy's key list lacks; stored under placeholder keys`);
    }
  }

  private normalize(raw: unknown[], report: StepReport): IngestRow[] {
    const rows: IngestRow[] = [];
    for (const r of raw) {
      const row = normalizeRow(r);
      if (typeof row === "string") {
        const seen = (report.problems[row] = (report.problems[row] ?? 0) + 1);
        if (seen <= 3) {
          const id = (r as { request_id?: unknown } | null)?.request_id;
          this.log.warn(`[ingest] skipped a spend-log row (${row}): request_id=${typeof id === "string" ? id : "?"}`);
        }
        continue;
      }
      if (row.endMs - row.startMs > this.timing.maxRequestMs) report.longerThanMax++;
      rows.push(row);
    }
    return rows;
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
