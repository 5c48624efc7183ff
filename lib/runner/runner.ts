import { PeriodicJob, type JobSpec } from "./job";
import type { RedisLease } from "./lease";
import type { JobStatusRepository } from "./repository";

export interface RunnerOptions {
  /** The background jobs; adding a job is adding a spec here (see lib/server/jobs.ts). */
  jobs: JobSpec[];
  status: JobStatusRepository;
  /** The single-runner lease in Inflight's Redis; null: no Redis, this instance runs the jobs. */
  lease: RedisLease | null;
  leaseTtlMs: number;
  holderId: string;
  log?: { warn(msg: string): void; info(msg: string): void };
}

/**
 * Runs the background jobs in exactly one instance at a time, the holder of a Redis lease; the
 * others wait and take over when the holder's lease expires. A holder that loses Redis keeps
 * running (Redis is down for everyone, so nobody else can take the lease meanwhile).
 */
export class Runner {
  private readonly jobs: PeriodicJob[];
  private leading = false;
  private unreachableSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly log: NonNullable<RunnerOptions["log"]>;

  constructor(private readonly opts: RunnerOptions) {
    this.log = opts.log ?? console;
    this.jobs = opts.jobs.map((s) => new PeriodicJob(s, opts.status, opts.holderId, this.log));
  }

  isLeading(): boolean {
    return this.leading;
  }

  start(): void {
    void this.checkLease();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.setLeading(false);
    await this.opts.lease?.release();
  }

  private async checkLease() {
    const { lease, leaseTtlMs, holderId } = this.opts;
    const now = Date.now();
    let lead: boolean;
    let state: string;
    if (!lease) {
      lead = true;
      state = "no-redis";
    } else {
      state = await lease.acquireOrRenew();
      if (state === "unreachable") {
        this.unreachableSince ??= now;
        // Nobody can take the lease while Redis is down: a holder keeps going; a non-holder runs
        // after two TTLs (ingest is idempotent, so a brief overlap costs only repeated reads).
        lead = this.leading || now - this.unreachableSince >= 2 * leaseTtlMs;
      } else {
        this.unreachableSince = null;
        lead = state === "held";
      }
    }
    await this.setLeading(lead);
    try {
      await this.opts.status.recordOk("lease", holderId, { state, leading: lead, holder: lead ? holderId : await lease?.holder() });
    } catch (e) {
      this.log.warn(`[runner] cannot record the lease state: ${e instanceof Error ? e.message : e}`);
    }
    this.timer = setTimeout(() => void this.checkLease(), leaseTtlMs / 3);
  }

  private async setLeading(lead: boolean) {
    if (lead === this.leading) return;
    this.leading = lead;
    if (lead) {
      this.log.info(`[runner] ${this.opts.holderId} runs the background jobs`);
      this.jobs.forEach((j) => j.start());
    } else {
      this.log.info(`[runner] ${this.opts.holderId} stops its background jobs`);
      await Promise.all(this.jobs.map((j) => j.stop()));
    }
  }
}
