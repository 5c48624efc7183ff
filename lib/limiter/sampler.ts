import type Redis from "ioredis";
import type { CatalogRepository } from "../catalog/repository";
import { whenReady } from "../redis/connection";
import { readLimiterState, type LimiterEra } from "./reader";
import type { LimiterSampleRepository } from "./repository";

/**
 * Samples LiteLLM's belief for every catalog key and keeps a short history of it in the store.
 * Belief only: these samples never enter the truth series.
 */
export class LimiterSampler {
  constructor(
    private readonly catalog: CatalogRepository,
    private readonly samples: LimiterSampleRepository,
    private readonly redis: Redis,
    private readonly windowSizeS: number,
  ) {}

  async sample(): Promise<{ keys: number; eras: Partial<Record<LimiterEra, number>>; atMs: number }> {
    const keys = await this.catalog.catalogKeys();
    await whenReady(this.redis);
    const { samples, redisTimeMs } = await readLimiterState(
      this.redis,
      keys.map((k) => k.hash),
      { windowSizeS: this.windowSizeS },
    );
    const eras: Partial<Record<LimiterEra, number>> = {};
    for (const s of samples) eras[s.era] = (eras[s.era] ?? 0) + 1;
    await this.samples.insert(samples.map((s, i) => ({ ...s, keyId: keys[i].id })));
    return { keys: keys.length, eras, atMs: redisTimeMs };
  }
}
