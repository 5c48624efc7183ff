import { rollupMinutes, sparseRows } from "../concurrency/downsample";
import { sweepSeconds } from "../concurrency/sweep";
import { mergeRanges, minuteAligned } from "./ranges";
import type { SeriesRepository } from "./repository";

const PIECE_SEC = 3600;

export interface SeriesChange {
  keyId: number;
  fromSec: number;
  toSec: number;
}

export interface MaintainReport {
  changes: SeriesChange[];
  requestsSwept: number;
  secondsWritten: number;
}

/**
 * Keeps the per-second series (and its minute roll-up) equal to a sweep over the stored requests.
 * Ingest marks the ranges its new rows touch (same transaction as the rows); this recomputes those
 * ranges whole, an hour piece per transaction, and clears the marks only once every piece is
 * written. Recomputing is idempotent, so a crash part way leaves the marks and the next run
 * redoes them; late rows always update the series they fall in.
 */
export class SeriesMaintainer {
  constructor(
    private readonly repo: SeriesRepository,
    /** Requests may have started this long before a range and still be in flight in it. */
    private readonly maxRequestMs: number,
  ) {}

  /** Recomputes up to `batch` dirty marks; call again while it reports changes. */
  async run(batch = 10_000): Promise<MaintainReport> {
    const marks = await this.repo.dirtyMarks(batch);
    const report: MaintainReport = { changes: [], requestsSwept: 0, secondsWritten: 0 };
    if (marks.length === 0) return report;
    for (const r of mergeRanges(marks, 60_000)) {
      const { fromSec, toSec } = minuteAligned(r.fromMs, r.toMs);
      // Hour pieces keep the requests held in memory bounded whatever the backlog.
      for (let from = fromSec; from < toSec; from += PIECE_SEC) {
        report.changes.push(await this.recompute(r.keyId, from, Math.min(toSec, from + PIECE_SEC), report));
      }
    }
    await this.repo.clearDirty(marks[marks.length - 1].id);
    return report;
  }

  /** Runs until no mark is left (or `maxRounds` batches), as the runner does after each ingest step; what it recomputed. */
  async drain(maxRounds = 100): Promise<{ secondsWritten: number; changes: SeriesChange[] }> {
    let secondsWritten = 0;
    const changes: SeriesChange[] = [];
    for (let i = 0; i < maxRounds; i++) {
      const m = await this.run();
      secondsWritten += m.secondsWritten;
      changes.push(...m.changes);
      if (m.changes.length === 0) break;
    }
    return { secondsWritten, changes };
  }

  private async recompute(keyId: number, fromSec: number, toSec: number, report: MaintainReport): Promise<SeriesChange> {
    const input = await this.repo.sweepInput(keyId, fromSec * 1000, toSec * 1000, this.maxRequestMs);
    const series = sweepSeconds({ ...input, fromSec, toSec });
    const { rejectedRpm, rejectedTpm, rejectedOther } = input.limitedAt;
    report.requestsSwept += input.starts.length + input.rejectedAt.length + rejectedRpm.length + rejectedTpm.length + rejectedOther.length;
    const seconds = sparseRows(series);
    await this.repo.replace(keyId, fromSec, toSec, seconds, rollupMinutes(series));
    report.secondsWritten += seconds.length;
    return { keyId, fromSec, toSec };
  }
}
