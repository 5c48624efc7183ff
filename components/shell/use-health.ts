"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/fetch-json";
import type { Jsonified } from "@/lib/http/json";
import type { ServiceState } from "@/lib/health/status";

export type ServiceStateJson = Jsonified<ServiceState>;

export function useHealth() {
  return useQuery({
    queryKey: ["health"],
    queryFn: () => fetchJson<{ services: ServiceStateJson[] }>("/api/health"),
    refetchInterval: 5_000,
  });
}
