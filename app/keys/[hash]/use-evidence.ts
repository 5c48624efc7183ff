"use client";

import { useQuery } from "@tanstack/react-query";
import { KeyEvidenceSchema } from "@/lib/api/keys";
import { fetchJson } from "@/lib/view/fetch-json";

/** A time window to find the peak in: one chart bucket, or the range's highest bucket. */
export interface EvidenceWindow {
  fromMs: number;
  toMs: number;
}

/** The requests in flight at the peak instant of `span`; idle until a window is chosen. */
export function useEvidence(hash: string, span: EvidenceWindow | null) {
  return useQuery({
    queryKey: ["key-evidence", hash, span?.fromMs, span?.toMs],
    queryFn: ({ signal }) => fetchJson(`/api/keys/${hash}/evidence?from=${span!.fromMs}&to=${span!.toMs}`, KeyEvidenceSchema, { signal }),
    enabled: span !== null,
  });
}
