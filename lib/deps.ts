import { serverConfig } from "./config/env";
import { LiteLLMClient } from "./litellm/client";
import { sharedRedis } from "./redis/connection";
import { notConfigured, probeLiteLLM, probeRedis } from "./health/probes";
import type { Probes } from "./health/check";

/** The LiteLLM admin client built from the server's config, or null when no proxy is configured. */
export function litellmClient(): LiteLLMClient | null {
  const c = serverConfig();
  if (!c.LITELLM_URL || !c.LITELLM_MASTER_KEY) return null;
  return new LiteLLMClient({ baseUrl: c.LITELLM_URL, masterKey: c.LITELLM_MASTER_KEY, timeoutMs: c.LITELLM_TIMEOUT_MS });
}

export function redisClient() {
  const url = serverConfig().REDIS_URL;
  return url ? sharedRedis(url) : null;
}

export function serviceProbes(): Probes {
  const client = litellmClient();
  const redis = redisClient();
  return {
    litellm: () => (client ? probeLiteLLM(client) : Promise.resolve(notConfigured("LITELLM_URL"))),
    redis: () => (redis ? probeRedis(redis) : Promise.resolve(notConfigured("REDIS_URL"))),
  };
}
