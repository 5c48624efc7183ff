"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/fetch-json";
import type { Jsonified } from "@/lib/http/json";
import type { ServiceState } from "@/lib/health/status";
import type { PipelineStatus } from "@/lib/health/pipeline";

export type ServiceStateJson = Jsonified<ServiceState>;
export type PipelineStatusJson = Jsonified<PipelineStatus>;
export type HealthJson = { services: ServiceStateJson[]; pipeline: PipelineStatusJson };

export function useHealth() {
  return useQuery({
    queryKey: ["health"],
    queryFn: () => fetchJson<HealthJson>("/api/health"),
    refetchInterval: 5_000,
  });
}
