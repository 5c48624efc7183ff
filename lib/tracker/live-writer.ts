import type { CatalogRepository } from "../catalog/repository";
import type { LiveSecond } from "./live-seconds";
import type { LiveSeriesRepository } from "./repository";

/** Live seconds are kept this long: the key chart's live edge spans until spend logs settle it (a minute or two). */
export const LIVE_KEEP_MS = 15 * 60_000;
/** A hash the store does not know yet is looked up again at most this often (the catalog sync adds it). */
const LOOKUP_EVERY_MS = 10_000;
const PRUNE_EVERY_MS = 60_000;

/**
 * Writes the tracker's complete live seconds to the store (`live_second`), by key id, and drops
 * those older than LIVE_KEEP_MS. Seconds of a key the store does not know yet are left out (and
 * counted): the catalog sync or ingest adds the key within a minute.
 */
export class LiveSecondWriter {
  private ids = new Map<string, number>();
  private lastLookupMs = -Infinity;
  private lastPruneMs = -Infinity;

  constructor(
    private readonly catalog: Pick<CatalogRepository, "storedKeys">,
    private readonly live: LiveSeriesRepository,
  ) {}

  async write(seconds: LiveSecond[], nowMs: number): Promise<{ written: number; unknownKeys: number; pruned: number }> {
    if (seconds.some((s) => !this.ids.has(s.hash)) && nowMs - this.lastLookupMs >= LOOKUP_EVERY_MS) {
      this.lastLookupMs = nowMs;
      this.ids = new Map((await this.catalog.storedKeys()).map((k) => [k.hash, k.id]));
    }
    const rows = [];
    const unknown = new Set<string>();
    for (const s of seconds) {
      const keyId = this.ids.get(s.hash);
      if (keyId === undefined) unknown.add(s.hash);
      else rows.push({ keyId, sec: s.sec, maxInFlight: s.maxInFlight });
    }
    await this.live.write(rows);
    let pruned = 0;
    if (nowMs - this.lastPruneMs >= PRUNE_EVERY_MS) {
      this.lastPruneMs = nowMs;
      pruned = await this.live.pruneBefore(Math.floor((nowMs - LIVE_KEEP_MS) / 1000));
    }
    return { written: rows.length, unknownKeys: unknown.size, pruned };
  }
}
