import type { CursorState } from "./cursor";
import { addLate, lateRows, type LateRows } from "./late-rows";
import { normalizePage, type RowTally } from "./normalize";
import type { IngestRepository } from "./repository";
import type { SpendLogSource } from "./source";
import { SPEND_LOG_SOURCE, storePage, type IngestLogger, type StoreTally } from "./store-page";

// The reconcile pass: rows that appeared later than the flush lag (a slow proxy database; LiteLLM's
// spend-log queue retries and backs off) are passed by live polls, which stop at the end watermark.
// So settled windows behind the cursor are re-checked, cheaply: the proxy counts a window's rows
// (a one-row page's `total`) and the store counts its own; only a window whose counts differ is
// read again. A window the proxy will not count exactly (its count stops at 10,000) is split, as is
// a large one whose counts differ, so what is read is small. Re-reading stores only what is missing
// (a request is stored once), marks its series for recompute, and counts it as late.

export interface ReconcileOptions {
  /** Settled time behind the cursor that is re-checked. */
  horizonMs: number;
  /** A window with at most this many rows is read whole when its counts differ; a larger one is split first. */
  leafRows: number;
  /** Proxy requests (counts and pages) one run may make; the next run goes on where it stopped. */
  requestBudget: number;
}

/** Six hours back (INGEST_RECONCILE_HOURS); windows of up to 5,000 rows read whole; 400 proxy requests a run. */
export const RECONCILE_DEFAULTS: ReconcileOptions = { horizonMs: 6 * 3_600_000, leafRows: 5_000, requestBudget: 400 };

export interface ReconcileReport extends RowTally, StoreTally {
  /** Windows whose proxy and stored counts were compared. */
  windowsChecked: number;
  /** Windows whose counts differed, read whole. */
  windowsRead: number;
  proxyRequests: number;
  rowsRead: number;
  late: LateRows;
  /** The span checked in this run (epoch ms), null when nothing was. */
  checked: { fromMs: number; toMs: number } | null;
  /** The whole horizon has been checked since the last complete pass (a run out of budget goes on next time). */
  complete: boolean;
  /** Why nothing was checked (no cursor yet; a proxy that cannot count), else null. */
  skipped: string | null;
}

const HOUR_S = 3600;

/** One pass over windows: its report, the cursor it checks behind, its request budget, and where it got to. */
interface Pass {
  report: ReconcileReport;
  cursor: CursorState;
  budget: number;
  /** Every window from this second to the pass's start has been checked. */
  checked(fromS: number): void;
}

function emptyReport(): ReconcileReport {
  return {
    windowsChecked: 0,
    windowsRead: 0,
    proxyRequests: 0,
    rowsRead: 0,
    inserted: 0,
    newUnknownKeys: [],
    problems: {},
    longerThanMax: 0,
    late: { rows: 0, maxDelayMs: 0 },
    checked: null,
    complete: false,
    skipped: null,
  };
}

/** Counts one proxy request against the pass's budget. */
function spend(pass: Pass): void {
  if (pass.report.proxyRequests >= pass.budget) throw new OutOfBudget();
  pass.report.proxyRequests++;
}

/** The run's proxy requests are spent: it stops, and the next run resumes. */
class OutOfBudget extends Error {}

/** The proxy cannot count rows: nothing can be checked. */
class CannotCount extends Error {}

/**
 * Windows are whole seconds, [fromS, toS] with both ends included, as the proxy's date filter takes
 * them. Checks go from the newest window back in time (late rows are likeliest there), hour by hour,
 * each split newest part first, so a run out of budget resumes exactly where it stopped.
 */
export class SpendLogReconciler {
  /** Everything after this second (back to the newest) is checked in this pass; null: start again from the newest. */
  private resumeAtS: number | null = null;
  /** Windows already read whole at this proxy count: what the store still lacks there cannot be stored (malformed rows). */
  private readonly readAt = new Map<string, number>();

  constructor(
    private readonly source: SpendLogSource,
    private readonly store: IngestRepository,
    private readonly opts: ReconcileOptions & { maxRequestMs: number },
    private readonly log: IngestLogger = console,
    /** Told how long after its end each row it stored was first seen (the ingest's flush lag learns from it). */
    private readonly seenLate: (atMs: number, delaysMs: number[]) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks the next stretch of the horizon, newest first, within the request budget. */
  async run(): Promise<ReconcileReport> {
    const report = emptyReport();
    const cursor = await this.store.readCursor(SPEND_LOG_SOURCE);
    if (!cursor) return { ...report, skipped: "no spend logs read yet" };
    // Rows that started in the last second before the cursor are checked next time, once a whole second is behind it.
    const newestS = Math.floor(cursor.completeBeforeMs / 1000) - 1;
    const oldestS = Math.floor((cursor.completeBeforeMs - this.opts.horizonMs) / 1000);
    this.forgetBefore(oldestS);
    const startS = Math.min(this.resumeAtS ?? newestS, newestS);
    const pass: Pass = { report, cursor, budget: this.opts.requestBudget, checked: (fromS) => (this.resumeAtS = fromS) };
    try {
      for (let toS = startS; toS > oldestS; ) {
        const fromS = Math.max(oldestS, (Math.ceil(toS / HOUR_S) - 1) * HOUR_S);
        await this.check(fromS, toS, pass);
        toS = fromS;
      }
      this.resumeAtS = null;
      report.complete = true;
    } catch (e) {
      if (e instanceof CannotCount) return { ...report, skipped: e.message };
      if (!(e instanceof OutOfBudget)) throw e;
    }
    const doneS = this.resumeAtS ?? oldestS;
    if (doneS < startS) report.checked = { fromMs: doneS * 1000, toMs: startS * 1000 };
    return report;
  }

  /** One window [fromMs, toMs] (whole seconds) checked and repaired now, whatever the budget and the pass in progress. */
  async checkRange(fromMs: number, toMs: number): Promise<ReconcileReport> {
    const report = emptyReport();
    const cursor = await this.store.readCursor(SPEND_LOG_SOURCE);
    if (!cursor) return { ...report, skipped: "no spend logs read yet" };
    await this.check(Math.floor(fromMs / 1000), Math.floor(toMs / 1000), { report, cursor, budget: Infinity, checked: () => undefined });
    report.checked = { fromMs, toMs };
    report.complete = true;
    return report;
  }

  /** Compares one window's counts; reads it whole, or splits it, when they differ. */
  private async check(fromS: number, toS: number, pass: Pass): Promise<void> {
    const proxy = await this.count(fromS, toS, pass);
    if (proxy.capped && toS - fromS > 1) {
      // The proxy stopped counting: split by what the store holds there (the proxy holds at least that).
      const stored = await this.store.countStarted(fromS * 1000, toS * 1000);
      return this.split(fromS, toS, Math.max(2, Math.ceil(stored / this.opts.leafRows)), pass);
    }
    const stored = await this.store.countStarted(fromS * 1000, toS * 1000);
    pass.report.windowsChecked++;
    const key = `${fromS}-${toS}`;
    if ((proxy.capped || proxy.total !== stored) && this.readAt.get(key) !== proxy.total) {
      if (proxy.total > this.opts.leafRows && toS - fromS > 1) {
        return this.split(fromS, toS, Math.max(2, Math.ceil(proxy.total / this.opts.leafRows)), pass);
      }
      await this.readWhole(fromS, toS, pass);
      this.readAt.set(key, proxy.total);
    }
    pass.checked(fromS);
  }

  /** Checks `parts` equal parts of the window, the newest first. */
  private async split(fromS: number, toS: number, parts: number, pass: Pass): Promise<void> {
    const step = Math.max(1, Math.ceil((toS - fromS) / parts));
    for (let b = toS; b > fromS; b -= step) await this.check(Math.max(fromS, b - step), b, pass);
  }

  private async readWhole(fromS: number, toS: number, pass: Pass): Promise<void> {
    const { report } = pass;
    report.windowsRead++;
    const seenAt = this.now();
    for await (const page of this.source.pages({ fromMs: fromS * 1000, toMs: toS * 1000, order: "startAsc" })) {
      spend(pass);
      report.rowsRead += page.rows.length;
      const rows = normalizePage(page.rows, report, this.opts.maxRequestMs, this.log);
      const inserted = await storePage(this.store, rows, null, report, this.log, true);
      report.late = addLate(report.late, lateRows(inserted, pass.cursor, seenAt));
      if (inserted.length) this.seenLate(seenAt, inserted.map((r) => seenAt - r.endMs));
    }
  }

  private async count(fromS: number, toS: number, pass: Pass) {
    spend(pass);
    const c = await this.source.count(fromS * 1000, toS * 1000);
    if (c === null) throw new CannotCount("the proxy does not count spend-log rows (an old proxy without /spend/logs/ui or /v2): late rows cannot be found");
    return c;
  }

  private forgetBefore(oldestS: number): void {
    for (const key of this.readAt.keys()) if (Number(key.split("-")[1]) < oldestS) this.readAt.delete(key);
  }
}
