// The ingest timings for a simulator seeded with a day of spend logs (`--seed-spend-logs N`),
// shared by the ingest figures and the memory child (which must not load the Prisma clients).
import type { IngestTiming } from "@/lib/ingest/cursor";

const HOUR_MS = 3_600_000;

/**
 * Seeded rows span the 24 h before the simulator started; 25 h of backfill covers them. Seeded
 * durations are exponential with a mean of 3 s, so 2 minutes bounds the longest request.
 */
export const TIMING: IngestTiming = { maxRequestMs: 120_000, flushLagMs: 5_000, clockSkewMs: 1_000, backfillMs: 25 * HOUR_MS };

/** The pipeline's logger: the seeded keys are not in the store's catalog, and saying so per run is noise. */
export const quiet = { warn: () => undefined };
