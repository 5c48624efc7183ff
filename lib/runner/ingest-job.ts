import { addLate, type LateRows } from "../ingest/late-rows";
import type { RowProblem } from "../ingest/normalize";
import type { ReconcileReport } from "../ingest/reconcile";
import type { ObservePipeline } from "../server/pipeline";
import type { SeriesChange } from "../series/maintain";
import type { JobOutcome } from "./job";

/** Counts since this runner started, so no skipped or late row goes uncounted. */
interface Totals {
  rowsRead: number;
  inserted: number;
  problems: Partial<Record<RowProblem, number>>;
  unknownKeys: number;
  longerThanMax: number;
  /** Rows stored after the cursor had said they were in: by live polls and by the reconcile pass. */
  late: LateRows & { lastAt: string | null; byReconcile: number };
  /** Seconds above the limit that late rows made of seconds already counted. */
  recountedViolationSeconds: number;
  since: string;
}

/** The last reconcile pass, as the status shows it. */
interface ReconcileStatus {
  at: string;
  windowsChecked: number;
  windowsRead: number;
  proxyRequests: number;
  lateRows: number;
  complete: boolean;
  skipped: string | null;
}

/**
 * One ingest step, then the series recomputed for what it stored; when live and due, a reconcile
 * pass (late rows) and the series again. Figures for the status line.
 */
export function ingestJob(
  pipeline: ObservePipeline,
  reconcileEveryMs: number,
  /** Told what each step recomputed (late rows may change seconds already counted); answers how many violation seconds that added. */
  onSeriesChanged: (changes: SeriesChange[]) => Promise<number> = async () => 0,
  now: () => number = Date.now,
) {
  const totals: Totals = {
    rowsRead: 0,
    inserted: 0,
    problems: {},
    unknownKeys: 0,
    longerThanMax: 0,
    late: { rows: 0, maxDelayMs: 0, lastAt: null, byReconcile: 0 },
    recountedViolationSeconds: 0,
    since: new Date(now()).toISOString(),
  };
  let lastReconcile: { atMs: number; complete: boolean } | null = null;
  let reconcileStatus: ReconcileStatus | null = null;

  const noteLate = (late: LateRows) => {
    if (late.rows === 0) return;
    Object.assign(totals.late, addLate(totals.late, late));
    totals.late.lastAt = new Date(now()).toISOString();
  };

  return async (): Promise<JobOutcome> => {
    const started = performance.now();
    const r = await pipeline.ingest.step();
    const drained = await pipeline.series.drain();
    let { secondsWritten } = drained;
    totals.recountedViolationSeconds += await onSeriesChanged(drained.changes);
    const elapsedS = (performance.now() - started) / 1000;
    totals.rowsRead += r.rowsRead;
    totals.inserted += r.inserted;
    totals.unknownKeys += r.newUnknownKeys.length;
    totals.longerThanMax += r.longerThanMax;
    addProblems(totals, r.problems);
    noteLate(r.late);

    // A pass that ran out of its request budget goes on at the next poll; a complete one waits its interval.
    const due = lastReconcile === null || !lastReconcile.complete || now() - lastReconcile.atMs >= reconcileEveryMs;
    if (r.kind === "live" && due) {
      const rec = await pipeline.reconciler.run();
      lastReconcile = { atMs: now(), complete: rec.complete || rec.skipped !== null };
      reconcileStatus = statusOf(rec, now());
      addProblems(totals, rec.problems);
      totals.unknownKeys += rec.newUnknownKeys.length;
      totals.longerThanMax += rec.longerThanMax;
      totals.inserted += rec.inserted;
      noteLate(rec.late);
      totals.late.byReconcile += rec.late.rows;
      if (rec.inserted > 0) {
        const again = await pipeline.series.drain();
        secondsWritten += again.secondsWritten;
        totals.recountedViolationSeconds += await onSeriesChanged(again.changes);
      }
    }
    return {
      again: r.behind,
      stats: {
        mode: r.kind,
        lagMs: r.lagMs,
        flushLagMs: r.flushLagMs,
        window: { from: new Date(r.window.fromMs).toISOString(), to: new Date(r.window.toMs).toISOString() },
        pages: r.pages,
        rowsRead: r.rowsRead,
        inserted: r.inserted,
        rowsPerS: elapsedS > 0 ? Math.round(r.rowsRead / elapsedS) : 0,
        secondsWritten,
        source: pipeline.source.describe(),
        reconcile: reconcileStatus,
        totals,
      },
    };
  };
}

function addProblems(totals: Totals, problems: Partial<Record<RowProblem, number>>): void {
  for (const [k, v] of Object.entries(problems) as [RowProblem, number][]) totals.problems[k] = (totals.problems[k] ?? 0) + v;
}

function statusOf(rec: ReconcileReport, atMs: number): ReconcileStatus {
  return {
    at: new Date(atMs).toISOString(),
    windowsChecked: rec.windowsChecked,
    windowsRead: rec.windowsRead,
    proxyRequests: rec.proxyRequests,
    lateRows: rec.late.rows,
    complete: rec.complete,
    skipped: rec.skipped,
  };
}
