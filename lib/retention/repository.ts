/** How long each kind of data is kept. */
export interface RetentionPolicy {
  requestsMs: number;
  secondsMs: number;
  minutesMs: number;
  samplesMs: number;
}

export interface RetentionRepository {
  /**
   * Removes what is older than the policy keeps (and, where the store splits tables by time,
   * prepares the parts the next writes need). Returns what went, per table.
   */
  apply(policy: RetentionPolicy, nowMs: number): Promise<Record<string, number>>;
}
