import { bucketize, chooseBucketSeconds, type Bucket, type SeriesRow } from "../concurrency/downsample";
import { RESOLUTION_SEC, type Resolution, type SeriesRepository } from "./repository";

export interface SeriesWindow {
  bucketSec: number;
  buckets: Bucket[];
  /** Where the buckets came from: per-second rows, or the minute roll-up for long ranges. */
  resolution: Resolution;
}

/** The bucket size for a range cut to at most ~maxPoints, and the coarsest table whose rows fit its buckets. */
export function seriesPlan(fromSec: number, toSec: number, maxPoints: number): { bucketSec: number; resolution: Resolution; readFromSec: number } {
  const bucketSec = chooseBucketSeconds(toSec - fromSec, maxPoints);
  const resolution: Resolution = bucketSec % 3600 === 0 ? "1h" : bucketSec % 60 === 0 ? "1m" : "1s";
  // A roll-up row covers its whole minute or hour, and each lies inside one aligned bucket.
  const step = RESOLUTION_SEC[resolution];
  return { bucketSec, resolution, readFromSec: Math.floor(fromSec / step) * step };
}

/**
 * Several keys' series over [fromSec, toSec), each cut to at most ~maxPoints epoch-aligned buckets
 * keeping each bucket's peak (max of maxima; sums of counts). The grouping runs in the store;
 * buckets of whole minutes or hours read the minute or hour roll-up.
 */
export async function readSeriesWindows(
  repo: SeriesRepository,
  keyIds: number[],
  fromSec: number,
  toSec: number,
  maxPoints: number,
): Promise<Map<number, SeriesWindow>> {
  const { bucketSec, resolution, readFromSec } = seriesPlan(fromSec, toSec, maxPoints);
  const rows = await repo.buckets({ keyIds, resolution, fromSec: readFromSec, toSec, bucketSec });
  const perKey = new Map<number, SeriesRow[]>(keyIds.map((id) => [id, []]));
  // A bucket that starts before the range (epoch alignment) is counted at the range start.
  for (const { keyId, t, ...rest } of rows) perKey.get(keyId)?.push({ ...rest, sec: Math.max(fromSec, t) });
  return new Map(keyIds.map((id) => [id, { bucketSec, resolution, buckets: bucketize(perKey.get(id)!, fromSec, toSec, bucketSec) }]));
}

/** One key's series over [fromSec, toSec), cut to at most ~maxPoints buckets. */
export async function readSeriesWindow(repo: SeriesRepository, keyId: number, fromSec: number, toSec: number, maxPoints: number): Promise<SeriesWindow> {
  return (await readSeriesWindows(repo, [keyId], fromSec, toSec, maxPoints)).get(keyId)!;
}
