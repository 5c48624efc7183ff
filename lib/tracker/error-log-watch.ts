import { SPEND_LOG_SOURCE } from "../ingest/ingest";
import type { Store } from "../store/store";
import { checkErrorLogs, verdictOf, type ErrorLogCheck, type MinuteCounts } from "./error-logs";

/** How often the comparison runs, and how many settled minutes of results it keeps. */
const CHECK_EVERY_MS = 60_000;
const KEEP_MINUTES = 60;

/**
 * Holds the tracker's rejections per key and minute until the spend logs for those minutes are
 * settled (before the ingest watermark), then compares them with the stored 429s; the verdict
 * covers the last hour of compared minutes.
 */
export class ErrorLogWatch {
  private pending: MinuteCounts = new Map();
  private results: { minute: number; tracked: MinuteCounts; check: ErrorLogCheck }[] = [];
  private lastCheckMs = 0;

  constructor(private readonly store: Pick<Store, "ingest" | "catalog" | "series">) {}

  async add(rejections: MinuteCounts, nowMs = Date.now()): Promise<ErrorLogCheck> {
    for (const [hash, minutes] of rejections) {
      const m = this.pending.get(hash) ?? this.pending.set(hash, new Map()).get(hash)!;
      for (const [minute, n] of minutes) m.set(minute, (m.get(minute) ?? 0) + n);
    }
    if (nowMs - this.lastCheckMs >= CHECK_EVERY_MS) {
      this.lastCheckMs = nowMs;
      await this.compareSettled();
    }
    return this.verdict();
  }

  private async compareSettled() {
    const cursor = await this.store.ingest.readCursor(SPEND_LOG_SOURCE);
    if (!cursor) return;
    const settledSec = Math.floor(cursor.endWatermarkMs / 1000);
    const ready: MinuteCounts = new Map();
    for (const [hash, minutes] of this.pending) {
      for (const [minute, n] of minutes) {
        if (minute + 60 > settledSec) continue;
        (ready.get(hash) ?? ready.set(hash, new Map()).get(hash)!).set(minute, n);
        minutes.delete(minute);
      }
      if (!minutes.size) this.pending.delete(hash);
    }
    if (!ready.size) return;
    const keys = new Map((await this.store.catalog.listedKeys()).map((k) => [k.hash, k.id]));
    const allMinutes = [...ready.values()].flatMap((m) => [...m.keys()]);
    const from = Math.min(...allMinutes);
    const to = Math.max(...allMinutes) + 60;
    const ids = [...ready.keys()].map((h) => keys.get(h)).filter((id): id is number => id !== undefined);
    const buckets = ids.length ? await this.store.series.buckets({ keyIds: ids, resolution: "1m", fromSec: from, toSec: to, bucketSec: 60 }) : [];
    const hashOf = new Map([...keys].map(([h, id]) => [id, h]));
    const stored: MinuteCounts = new Map();
    for (const b of buckets) {
      const h = hashOf.get(b.keyId)!;
      const n = b.rejected + b.rejectedRpm + b.rejectedTpm + b.rejectedOther;
      (stored.get(h) ?? stored.set(h, new Map()).get(h)!).set(b.t, n);
    }
    this.results.push({ minute: to, tracked: ready, check: checkErrorLogs(ready, stored) });
    const keepFrom = to - KEEP_MINUTES * 60;
    this.results = this.results.filter((r) => r.minute >= keepFrom);
  }

  /** Over the kept results: the compared and missing key-minutes, and what they say. */
  private verdict(): ErrorLogCheck {
    const compared = this.results.reduce((n, r) => n + r.check.compared, 0);
    const missing = this.results.reduce((n, r) => n + r.check.missing, 0);
    return { compared, missing, verdict: verdictOf(compared, missing) };
  }
}
