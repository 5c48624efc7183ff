/**
 * The simulator's randomness, from one seed: the demo traffic, a real call's latency, token count and
 * upstream errors, the spend-log flush jitter and the --seed-spend-logs rows. `--seed N` fixes it so
 * a run replays its random choices; without it each start draws a seed of its own, as LiteLLM's
 * jitter and a model's latency are random by nature. Identifiers (keys, call ids, the seeded rows'
 * run id) stay crypto-random: they must be unique across runs, not reproducible.
 * The simulator's own code, apart from Inflight's lib/traffic/prng.ts on purpose (they share nothing).
 */
import crypto from "node:crypto";

/** Numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: the same seed gives the same sequence on every platform. Not for anything secret. */
export function mulberry32(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for a start without --seed. */
export function drawSeed(): number {
  return crypto.randomBytes(4).readUInt32LE(0);
}

/**
 * The stream of one purpose ("demo:demo-leaky:3", "flush-jitter"), derived from the run's seed: each
 * consumer draws from its own sequence, so one's draws do not shift when another's requests happen to
 * interleave differently.
 */
export function stream(seed: number, purpose: string): Rng {
  let h = 0x811c9dc5; // FNV-1a of the purpose, mixed into the seed
  for (let i = 0; i < purpose.length; i++) h = Math.imul(h ^ purpose.charCodeAt(i), 0x01000193);
  return mulberry32((seed ^ h) >>> 0);
}
