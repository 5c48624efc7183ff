"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/fetch-json";
import type { KeyListResult } from "@/lib/keys/list-keys";

export function useKeys() {
  return useQuery({
    queryKey: ["keys"],
    queryFn: () => fetchJson<KeyListResult>("/api/keys"),
    refetchInterval: 15_000,
  });
}
