import type { Db } from "../db";
import type { ServiceName, ServiceState } from "./status";

export async function readServiceStates(db: Db): Promise<Map<ServiceName, ServiceState>> {
  const rows = await db.serviceStatus.findMany();
  return new Map(rows.map((r) => [r.service as ServiceName, { ...r, service: r.service as ServiceName }]));
}

export async function saveServiceState(db: Db, s: ServiceState): Promise<void> {
  await db.serviceStatus.upsert({ where: { service: s.service }, create: s, update: s });
}
