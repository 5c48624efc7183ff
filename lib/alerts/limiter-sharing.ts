import type Redis from "ioredis";
import { findLimiterKeys } from "../limiter/discovery";
import type { LiteLLMClient } from "../litellm/client";

/** How long an answer is kept: both sources change only when the proxy is reconfigured. */
const TTL_MS = 60_000;

/**
 * Whether LiteLLM keeps shared limiter state, for the multiplied-limit detector: its own answer
 * first (`/coordination_redis/settings`: a null source means per-worker counting), else whether
 * the proxy's Redis holds any limiter keys while the detector looks at a key above its limit (so
 * traffic exists; a full scan finding none means in-memory counting). Null when neither can tell.
 * Cached for a minute.
 */
export function limiterSharing(client: Pick<LiteLLMClient, "coordinationSource">, proxyRedis: Redis | null): () => Promise<boolean | null> {
  let cached: { atMs: number; value: boolean | null } | null = null;
  return async () => {
    if (cached && Date.now() - cached.atMs < TTL_MS) return cached.value;
    const value = await ask(client, proxyRedis);
    cached = { atMs: Date.now(), value };
    return value;
  };
}

async function ask(client: Pick<LiteLLMClient, "coordinationSource">, proxyRedis: Redis | null): Promise<boolean | null> {
  const source = await client.coordinationSource().catch(() => undefined);
  if (source !== undefined) return source !== null;
  if (!proxyRedis) return null;
  const d = await findLimiterKeys(proxyRedis).catch(() => null);
  if (!d) return null;
  if (d.found > 0) return true;
  return d.complete ? false : null;
}
