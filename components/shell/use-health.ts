"use client";

import { useQuery } from "@tanstack/react-query";
import { HealthSchema } from "@/lib/api/health";
import { fetchJson } from "@/lib/view/fetch-json";

export function useHealth() {
  return useQuery({
    queryKey: ["health"],
    queryFn: ({ signal }) => fetchJson("/api/health", HealthSchema, { signal }),
    refetchInterval: 5_000,
  });
}
