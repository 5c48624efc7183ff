import type Redis from "ioredis";
import { writeTx, type Sqlite } from "../store/sqlite";
import { whenReady } from "../redis/connection";
import { readLimiterState, type LimiterEra } from "./reader";

/**
 * Samples LiteLLM's belief for every catalog key and keeps a short history of it in the store.
 * Belief only: these samples never enter the truth series.
 */
export class LimiterSampler {
  private readonly stmt;

  constructor(
    private readonly db: Sqlite,
    private readonly redis: Redis,
    private readonly windowSizeS: number,
  ) {
    this.stmt = {
      keys: db.prepare("SELECT id, hash FROM key WHERE in_catalog = 1 ORDER BY id"),
      insert: db.prepare(
        `INSERT OR REPLACE INTO limiter_sample (key_id, at_ms, era, believed_in_flight, raw_counter, window_start_s, requests, tokens)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  async sample(): Promise<{ keys: number; eras: Partial<Record<LimiterEra, number>>; atMs: number }> {
    const keys = this.stmt.keys.all() as { id: number; hash: string }[];
    await whenReady(this.redis);
    const { samples, redisTimeMs } = await readLimiterState(
      this.redis,
      keys.map((k) => k.hash),
      { windowSizeS: this.windowSizeS },
    );
    const eras: Partial<Record<LimiterEra, number>> = {};
    writeTx(this.db, () => {
      samples.forEach((s, i) => {
        eras[s.era] = (eras[s.era] ?? 0) + 1;
        this.stmt.insert.run(keys[i].id, s.atMs, s.era, s.believedInFlight, s.rawCounter, s.windowStartS, s.requests, s.tokens);
      });
    });
    return { keys: keys.length, eras, atMs: redisTimeMs };
  }
}
