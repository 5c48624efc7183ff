/**
 * Requests counted in a second, or summed over a bucket or a roll-up step: those admitted (by the
 * second they started in) and the proxy's 429s (at the second they were answered), by the limit
 * that rejected them. Only `rejected`, the key's max_parallel_requests, is a concurrency rejection;
 * the others are 429s of the key's rpm and tpm limits and of everything else (other scopes, the
 * legacy limiter's texts, unknown texts). No 429 ever held a slot: none enters the in-flight count.
 */
export interface RequestCounts {
  admitted: number;
  rejected: number;
  rejectedRpm: number;
  rejectedTpm: number;
  rejectedOther: number;
}

/** The 429 counts beside `rejected`, in the order the stores' columns hold them. */
export const LIMITED_FIELDS = ["rejectedRpm", "rejectedTpm", "rejectedOther"] as const;
export type LimitedField = (typeof LIMITED_FIELDS)[number];

/** Every count, in the order the stores' columns hold them. */
export const COUNT_FIELDS = ["admitted", "rejected", ...LIMITED_FIELDS] as const;
export type CountField = (typeof COUNT_FIELDS)[number];

export function zeroCounts(): RequestCounts {
  return { admitted: 0, rejected: 0, rejectedRpm: 0, rejectedTpm: 0, rejectedOther: 0 };
}

/** Counts where the other 429s may be left out (0): what a reader of the concurrency columns alone has. */
export type PartialCounts = Omit<RequestCounts, LimitedField> & Partial<Pick<RequestCounts, LimitedField>>;

/** Adds `from`'s counts into `into`. */
export function addCounts(into: RequestCounts, from: PartialCounts): void {
  for (const f of COUNT_FIELDS) into[f] += from[f] ?? 0;
}

/** The counts of a value list in COUNT_FIELDS order (a store's row, from `offset` on). */
export function countsAt(values: ArrayLike<unknown>, offset = 0): RequestCounts {
  return {
    admitted: Number(values[offset]),
    rejected: Number(values[offset + 1]),
    rejectedRpm: Number(values[offset + 2]),
    rejectedTpm: Number(values[offset + 3]),
    rejectedOther: Number(values[offset + 4]),
  };
}

/** The 429s of every limit but max_parallel_requests, together. */
export function limitedCount(c: Pick<RequestCounts, LimitedField>): number {
  return c.rejectedRpm + c.rejectedTpm + c.rejectedOther;
}
