import type Redis from "ioredis";
import type { LiteLLMClient } from "../litellm/client";
import type { ProbeResult } from "./status";
import { whenReady } from "../redis/connection";

async function timed(fn: () => Promise<unknown>): Promise<ProbeResult> {
  const started = performance.now();
  try {
    await fn();
    return { ok: true, latencyMs: Math.round(performance.now() - started), error: null };
  } catch (e) {
    return { ok: false, latencyMs: null, error: e instanceof Error ? e.message : String(e) };
  }
}

export const notConfigured = (what: string): ProbeResult => ({ ok: false, latencyMs: null, error: `${what} is not configured` });

export function probeLiteLLM(client: LiteLLMClient): Promise<ProbeResult> {
  return timed(() => client.liveliness());
}

export function probeRedis(redis: Redis): Promise<ProbeResult> {
  return timed(async () => {
    await whenReady(redis);
    const answer = await redis.ping();
    if (answer !== "PONG") throw new Error(`Redis answered ${answer} to PING`);
  });
}
