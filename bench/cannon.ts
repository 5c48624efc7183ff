// autocannon, the peer load generator the figures compare against (an untyped package: imported by
// name at run time).

export interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats?: Record<string, { count: number }>;
}
export type Cannon = (opts: Record<string, unknown>) => Promise<CannonResult>;

export async function loadCannon(): Promise<Cannon> {
  const spec = "autocannon";
  const mod = (await import(spec)) as { default?: Cannon } & Cannon;
  return mod.default ?? mod;
}
