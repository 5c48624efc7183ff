import type { ServiceName, ServiceState } from "./status";

/** The last known state of each outside service, shared by every instance and kept across restarts. */
export interface ServiceHealthRepository {
  all(): Promise<Map<ServiceName, ServiceState>>;
  save(state: ServiceState): Promise<void>;
}
