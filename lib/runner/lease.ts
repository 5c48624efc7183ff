import type Redis from "ioredis";

export type LeaseState = "held" | "taken" | "unreachable";

// Extend only while the lease is still ours: a holder that paused past its TTL must not
// overwrite the instance that took over.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The single-runner lease: one Redis key holding the runner's id with a TTL. The holder renews it
 * well within the TTL; when the holder dies the key expires and another instance takes it.
 */
export class RedisLease {
  constructor(
    private readonly redis: Redis,
    readonly holderId: string,
    private readonly ttlMs = 15_000,
    readonly key = "inflight:runner:lease",
  ) {}

  /** Takes the lease if free, extends it if ours; says who has it now. */
  async acquireOrRenew(): Promise<LeaseState> {
    try {
      const ok = (await this.redis.eval(RENEW, 1, this.key, this.holderId, String(this.ttlMs))) as number;
      return ok === 1 ? "held" : "taken";
    } catch {
      return "unreachable";
    }
  }

  async holder(): Promise<string | null> {
    return this.redis.get(this.key).catch(() => null);
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.holderId).catch(() => undefined);
  }
}
