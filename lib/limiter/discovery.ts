/**
 * Whether Redis holds any LiteLLM limiter keys at all (docs/litellm-reference.md §2.1: "find keys with SCAN MATCH
 * *max_parallel_requests*"). Runs rarely (about once a minute); SCAN in capped steps, never KEYS, so a
 * production Redis with millions of keys is never blocked and the work per run stays bounded.
 */
import type Redis from "ioredis";

export interface LimiterKeyDiscovery {
  /** Distinct matching keys seen (SCAN may return a key twice). */
  found: number;
  /** A few of them, for the UI and logs. */
  sampleKeys: string[];
  /** Keys Redis was asked to examine: SCAN calls × COUNT, the server's unit of work (approximate by nature). */
  scanned: number;
  /** true when the scan went all the way round, so `found` is every matching key that existed throughout. */
  complete: boolean;
}

const PATTERN = "*max_parallel_requests*";
const COUNT = 1000;
const SAMPLE_SIZE = 10;

export async function findLimiterKeys(redis: Redis, opts?: { maxScanned?: number }): Promise<LimiterKeyDiscovery> {
  const maxScanned = opts?.maxScanned ?? 100_000;
  const seen = new Set<string>();
  let cursor = "0";
  let scanned = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", PATTERN, "COUNT", COUNT);
    cursor = next;
    scanned += COUNT;
    for (const k of keys) seen.add(k);
  } while (cursor !== "0" && scanned < maxScanned);
  return { found: seen.size, sampleKeys: [...seen].slice(0, SAMPLE_SIZE), scanned, complete: cursor === "0" };
}
