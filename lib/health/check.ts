import { advance, type ProbeResult, type ServiceName, type ServiceState } from "./status";
import type { ServiceHealthRepository } from "./repository";

export type Probes = Record<ServiceName, () => Promise<ProbeResult>>;

/** Probes newer than this are reused, so many open dashboards do not multiply the probing. */
export const PROBE_REUSE_MS = 2_000;

/**
 * Current state of every outside service: probes the ones not probed in the last moment,
 * records each answer so "last answered" survives restarts and is shared by all instances.
 */
export async function checkServices(repo: ServiceHealthRepository, probes: Probes, now = new Date()): Promise<ServiceState[]> {
  const known = await repo.all();
  return Promise.all(
    (Object.keys(probes) as ServiceName[]).map(async (service) => {
      const prev = known.get(service) ?? null;
      if (prev && now.getTime() - prev.checkedAt.getTime() < PROBE_REUSE_MS) return prev;
      const next = advance(prev, service, await probes[service](), new Date());
      await repo.save(next);
      return next;
    }),
  );
}
