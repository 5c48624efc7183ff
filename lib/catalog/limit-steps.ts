import type { LimitChange } from "./repository";

/** The limits in force from `fromMs` on (the first one also stands for the time before Inflight saw the key). */
export interface LimitStep {
  fromMs: number;
  maxParallelRequests: number | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  source: string;
}

/**
 * Limit steps covering [fromMs, toMs) from one key's changes (oldest first): the step in force at
 * fromMs, clamped to it, then each change before toMs. Before Inflight first saw the key, its first
 * known limit stands in. Pure.
 */
export function limitSteps(changes: LimitChange[], fromMs: number, toMs: number): LimitStep[] {
  const all = changes.filter((c) => c.fromMs < toMs);
  if (all.length === 0) return [];
  let first = 0;
  for (let i = 0; i < all.length; i++) if (all[i].fromMs <= fromMs) first = i;
  return all.slice(first).map((c, i) => ({
    fromMs: i === 0 ? fromMs : c.fromMs,
    maxParallelRequests: c.maxParallelRequests,
    rpmLimit: c.rpmLimit,
    tpmLimit: c.tpmLimit,
    source: c.source,
  }));
}

/** limitSteps for every key, from the changes of many keys. Pure. */
export function limitStepsByKey(keyIds: number[], changes: LimitChange[], fromMs: number, toMs: number): Map<number, LimitStep[]> {
  const perKey = new Map<number, LimitChange[]>(keyIds.map((id) => [id, []]));
  for (const c of changes) perKey.get(c.keyId)?.push(c);
  return new Map(keyIds.map((id) => [id, limitSteps(perKey.get(id)!, fromMs, toMs)]));
}

/**
 * Each key's lowest max_parallel_requests over its steps (keys without any limit are absent): a
 * row at or below it is within every limit in force, so only rows above it need a closer look.
 */
export function lowestLimits(steps: Map<number, LimitStep[]>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [keyId, s] of steps) {
    const limits = s.map((x) => x.maxParallelRequests).filter((l): l is number => l !== null);
    if (limits.length) out.set(keyId, Math.min(...limits));
  }
  return out;
}
