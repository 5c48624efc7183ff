import type { RowProblem } from "../ingest/normalize";
import type { ObservePipeline } from "../server/pipeline";
import type { JobOutcome } from "./job";

/** Counts since this runner started, so no skipped row goes uncounted. */
interface Totals {
  rowsRead: number;
  inserted: number;
  problems: Partial<Record<RowProblem, number>>;
  unknownKeys: number;
  longerThanMax: number;
  since: string;
}

/** One ingest step, then the series recomputed for what it stored; figures for the status line. */
export function ingestJob(pipeline: ObservePipeline) {
  const totals: Totals = { rowsRead: 0, inserted: 0, problems: {}, unknownKeys: 0, longerThanMax: 0, since: new Date().toISOString() };
  return async (): Promise<JobOutcome> => {
    const started = performance.now();
    const r = await pipeline.ingest.step();
    const { secondsWritten } = await pipeline.series.drain();
    const elapsedS = (performance.now() - started) / 1000;
    totals.rowsRead += r.rowsRead;
    totals.inserted += r.inserted;
    totals.unknownKeys += r.newUnknownKeys.length;
    totals.longerThanMax += r.longerThanMax;
    for (const [k, v] of Object.entries(r.problems) as [RowProblem, number][]) totals.problems[k] = (totals.problems[k] ?? 0) + v;
    return {
      again: r.behind,
      stats: {
        mode: r.kind,
        lagMs: r.lagMs,
        window: { from: new Date(r.window.fromMs).toISOString(), to: new Date(r.window.toMs).toISOString() },
        pages: r.pages,
        rowsRead: r.rowsRead,
        inserted: r.inserted,
        rowsPerS: elapsedS > 0 ? Math.round(r.rowsRead / elapsedS) : 0,
        secondsWritten,
        source: pipeline.source.describe(),
        totals,
      },
    };
  };
}
