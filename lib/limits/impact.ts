// What a new max_parallel_requests would have done to the last 24 h of true concurrency. Pure and
// free of server imports: the edit form computes it as the admin types.

export interface LimitImpact {
  /** The highest true concurrency over the window. */
  peak: number;
  /** Minutes whose peak is above the limit: LiteLLM admits a request only when in-flight + 1 <= limit, so each saw rejections. */
  minutesAbove: number;
}

/** `minuteMaxima`: the peak concurrency of each minute of the window. */
export function limitImpact(minuteMaxima: number[], limit: number | null): LimitImpact {
  const peak = minuteMaxima.reduce((m, v) => Math.max(m, v), 0);
  const minutesAbove = limit === null ? 0 : minuteMaxima.filter((v) => v > limit).length;
  return { peak, minutesAbove };
}

/** "This key peaked at 9 in the last 24 h: a limit of 6 would have rejected requests in 14 minutes." */
export function impactSentence(impact: LimitImpact, limit: number | null): string {
  const peaked = `This key peaked at ${impact.peak} in the last 24 h`;
  if (limit === null) return `${peaked}: with no limit, LiteLLM rejects nothing for concurrency.`;
  if (limit === 0) return `${peaked}: a limit of 0 rejects every request.`;
  if (impact.minutesAbove === 0) return `${peaked}: a limit of ${limit} would have rejected nothing.`;
  const minutes = `${impact.minutesAbove} minute${impact.minutesAbove === 1 ? "" : "s"}`;
  return `${peaked}: a limit of ${limit} would have rejected requests in ${minutes}.`;
}
