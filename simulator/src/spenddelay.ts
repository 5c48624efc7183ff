/**
 * Late spend-log rows (`--spend-log-delay S`, `POST /sim/spend-logs/delay`): a holding stage in front of the write
 * queue, standing in for a proxy whose database is slow or failing while LiteLLM's spend-log queue retries and backs
 * off. A row that ends is held until `endMs + S` seconds, then enters the write queue and becomes visible at the next
 * flush (interval or 100-row early flush), so S comes on top of the usual flush lag.
 */
import type { LiveRow, SpendLogWriter } from "./spendlogs";

export class SpendLogDelay {
  /**
   * Held rows in arrival order, read from `head`. Rows arrive as requests end, so nearly in endMs order: the head is
   * the next one due and one timer (armed for it) suffices. A row that ended a few ms before the head waits for it.
   */
  private held: LiveRow[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  /** S as given (echoed back exactly), and in ms for the due times. */
  private delayS: number;
  private delayMs: number;

  constructor(
    private writer: SpendLogWriter,
    seconds: number,
  ) {
    this.delayS = seconds;
    this.delayMs = seconds * 1000;
  }

  get seconds(): number {
    return this.delayS;
  }

  /** Rows held back, not yet in the write queue. */
  get count(): number {
    return this.held.length - this.head;
  }

  push(row: LiveRow): void {
    // S = 0 (the default): straight to the write queue, no timer on the hot path. Nothing is ever held then,
    // since set(0) releases every held row.
    if (this.delayMs === 0) {
      this.writer.push(row);
      return;
    }
    this.held.push(row);
    if (this.timer === null) this.arm();
  }

  /** Changes S at runtime: every held row is now due at its endMs + the new S (lowering it may release rows at once). */
  set(seconds: number): void {
    this.delayS = seconds;
    this.delayMs = seconds * 1000;
    this.release();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Moves every row due by now to the write queue, then re-arms the timer for the new head. */
  private release(): void {
    this.stop();
    const now = Date.now();
    const held = this.held;
    while (this.head < held.length && held[this.head].endMs + this.delayMs <= now) this.writer.push(held[this.head++]);
    if (this.head === held.length) {
      this.held = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= held.length) {
      // Drop the released prefix now and then, not per release: thousands of rows a second pass through here.
      this.held = held.slice(this.head);
      this.head = 0;
    }
    if (this.count > 0) this.arm();
  }

  private arm(): void {
    const due = this.held[this.head].endMs + this.delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.release();
    }, Math.max(0, due - Date.now()));
    this.timer.unref();
  }
}
