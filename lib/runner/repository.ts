/** One runner job's last outcome. */
export interface JobStatus {
  name: string;
  holder: string | null;
  lastRunAt: Date | null;
  lastOkAt: Date | null;
  lastError: string | null;
  failingSince: Date | null;
  stats: Record<string, unknown>;
}

/** Each runner job's last outcome, in the store so every instance can show it. */
export interface JobStatusRepository {
  recordOk(name: string, holder: string, stats: Record<string, unknown>, at?: Date): Promise<void>;
  /** Keeps `failingSince` from the first failure of a run of failures. */
  recordFailure(name: string, holder: string, error: string, at?: Date): Promise<void>;
  /** Every job, by name. */
  all(): Promise<JobStatus[]>;
}
