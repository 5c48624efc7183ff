/**
 * At most `max` attempts per name in a sliding window, in this process's memory. It backs the
 * per-address limit (which trusts forwarded headers) with one a client cannot dodge by changing its
 * address; an instance restart forgets it.
 */
export class SignInThrottle {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an attempt; false when the name is over its limit (the attempt is refused). */
  take(name: string): boolean {
    const t = this.now();
    const recent = (this.attempts.get(name) ?? []).filter((at) => t - at < this.windowMs);
    if (recent.length >= this.max) {
      this.attempts.set(name, recent);
      return false;
    }
    recent.push(t);
    this.attempts.set(name, recent);
    if (this.attempts.size > 10_000) this.forgetIdle(t);
    return true;
  }

  /** Keeps memory bounded under a flood of made-up names. */
  private forgetIdle(t: number) {
    for (const [name, times] of this.attempts) if (times.every((at) => t - at >= this.windowMs)) this.attempts.delete(name);
  }
}
