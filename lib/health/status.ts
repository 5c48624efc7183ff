export type ServiceName = "litellm" | "redis";

export interface ProbeResult {
  ok: boolean;
  latencyMs: number | null;
  error: string | null;
}

/** What Inflight knows about one outside service after its latest probe. */
export interface ServiceState {
  service: ServiceName;
  ok: boolean;
  checkedAt: Date;
  lastOkAt: Date | null;
  latencyMs: number | null;
  error: string | null;
  /** Start of the current run of successes / failures: "unreachable since ...". */
  okSince: Date | null;
  downSince: Date | null;
}

/** Folds one probe into the previous state. Pure. */
export function advance(prev: ServiceState | null, service: ServiceName, probe: ProbeResult, now: Date): ServiceState {
  const wasOk = prev?.ok ?? null;
  return {
    service,
    ok: probe.ok,
    checkedAt: now,
    latencyMs: probe.latencyMs,
    error: probe.ok ? null : probe.error,
    lastOkAt: probe.ok ? now : (prev?.lastOkAt ?? null),
    okSince: probe.ok ? (wasOk === true ? (prev?.okSince ?? now) : now) : null,
    downSince: probe.ok ? null : wasOk === false ? (prev?.downSince ?? now) : now,
  };
}
