import type { JobStatusRepository } from "./repository";

export interface JobOutcome {
  stats: Record<string, unknown>;
  /** Run again right away (more work is waiting) instead of after the interval. */
  again?: boolean;
}

export interface JobSpec {
  name: string;
  intervalMs: number;
  run: () => Promise<JobOutcome>;
  /** Longest pause after repeated failures. */
  maxBackoffMs?: number;
}

/**
 * Runs a job on its interval until stopped: records each outcome, and backs off (doubling, up to
 * maxBackoffMs) while it fails, so a down proxy is not hammered and recovery is picked up.
 */
export class PeriodicJob {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private failures = 0;
  private running: Promise<void> | null = null;

  constructor(
    private readonly spec: JobSpec,
    private readonly status: JobStatusRepository,
    private readonly holder: string,
    private readonly log: { warn(msg: string): void } = console,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = null));
    }, delayMs);
  }

  private async tick() {
    let next = this.spec.intervalMs;
    try {
      const outcome = await this.spec.run();
      if (this.failures > 0) this.log.warn(`[runner] ${this.spec.name} recovered after ${this.failures} failure(s)`);
      this.failures = 0;
      await this.status.recordOk(this.spec.name, this.holder, outcome.stats);
      if (outcome.again) next = 0;
    } catch (e) {
      this.failures++;
      const message = e instanceof Error ? e.message : String(e);
      if (this.failures === 1 || this.failures % 20 === 0) this.log.warn(`[runner] ${this.spec.name} failed: ${message}`);
      try {
        await this.status.recordFailure(this.spec.name, this.holder, message);
      } catch {
        // The store itself failing must not kill the loop.
      }
      next = Math.min(this.spec.maxBackoffMs ?? 60_000, this.spec.intervalMs * 2 ** Math.min(this.failures, 6));
    }
    this.schedule(next);
  }
}
