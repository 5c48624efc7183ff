import type { Evidence } from "../api/keys";
import type { IngestRepository, StoredRequest } from "../ingest/repository";

const EVIDENCE_LIMIT = 1000;

/** The requests behind the highest concurrency in [fromMs, toMs): the evidence a bug report needs. */
export async function readEvidence(ingest: IngestRepository, keyId: number, fromMs: number, toMs: number, maxRequestMs: number): Promise<Evidence> {
  return peakEvidence(await ingest.admittedOverlapping(keyId, fromMs, toMs, maxRequestMs), fromMs, toMs);
}

/**
 * The peak instant in [fromMs, toMs) of requests (oldest first, each in flight over [start, end),
 * a zero-length one for 1 ms) and those in flight then. Candidate instants are the window start
 * and every start inside it: a small sweep finds the peak. Pure.
 */
export function peakEvidence(rows: StoredRequest[], fromMs: number, toMs: number): Evidence {
  const endOf = (r: StoredRequest) => Math.max(r.endMs, r.startMs + 1);
  const ends = rows.map(endOf).sort((a, b) => a - b);
  let peak = 0;
  let peakAtMs: number | null = null;
  let inFlight = rows.filter((r) => r.startMs < fromMs).length;
  let e = 0;
  while (e < ends.length && ends[e] <= fromMs) e++;
  inFlight -= e;
  if (inFlight > 0) {
    peak = inFlight;
    peakAtMs = fromMs;
  }
  for (const r of rows) {
    if (r.startMs < fromMs) continue;
    while (e < ends.length && ends[e] <= r.startMs) {
      e++;
      inFlight--;
    }
    inFlight++;
    if (inFlight > peak) {
      peak = inFlight;
      peakAtMs = r.startMs;
    }
  }
  const at = peakAtMs;
  const live = at === null ? [] : rows.filter((r) => r.startMs <= at && endOf(r) > at);
  return {
    fromMs,
    toMs,
    peakAtMs,
    peak,
    truncated: live.length > EVIDENCE_LIMIT,
    requests: live.slice(0, EVIDENCE_LIMIT).map((r) => ({ ...r, durationMs: r.endMs - r.startMs })),
  };
}
