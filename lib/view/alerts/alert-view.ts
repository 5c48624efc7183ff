import { z } from "zod";
import type { AlertView } from "../../api/alerts";
import { chartUrl } from "../../alerts/message";
import { DETECTOR_LABELS, type Detector, type Phase } from "../../alerts/types";
import { formatDuration } from "../format/duration";

// How an alert reads in the browser: its label, its chart link, its duration, its evidence.

/** The detector's name, or what is left to say when the rule was removed since. */
export const detectorLabel = (d: Detector | null) => (d ? DETECTOR_LABELS[d] : "Removed rule");

/** What a notification told, as a short heading: "Limit exceeded", "Resolved: Limiter stuck". */
export function phaseLabel(detector: Detector, phase: Phase): string {
  const name = DETECTOR_LABELS[detector];
  if (phase === "resolved") return `Resolved: ${name}`;
  if (phase === "past") return `Found after it ended: ${name}`;
  if (phase === "repeat") return `Still firing: ${name}`;
  return name;
}

/** A notification's summary without the phase it opens with ("Resolved: …"), for where a heading already says it. */
export const summaryBody = (summary: string) => summary.replace(/^(Resolved|Found after it ended|Still firing): /, "");

/** When a pending delivery goes out: Slack's wait for more of a rule's alerts to group with (ALERT_GROUP_WAIT_S), or a retry's back-off. */
export function nextTry(n: { status: string; nextAttemptMs: number }, nowMs: number): string | null {
  if (n.status !== "pending") return null;
  return n.nextAttemptMs > nowMs + 1000 ? `goes out in ${formatDuration(n.nextAttemptMs - nowMs)}` : "going out now";
}

/** The key's chart over the alert's span with some minutes either side (the notifications' own link, made relative). */
export const alertChartHref = (a: Pick<AlertView, "keyHash" | "startedSec" | "lastActiveSec">, nowMs: number) =>
  chartUrl("", a.keyHash, a.startedSec, a.lastActiveSec, nowMs);

/** How long the condition held, first second to last. */
export const alertSpanMs = (a: Pick<AlertView, "startedSec" | "lastActiveSec">) => Math.max(0, a.lastActiveSec - a.startedSec) * 1000;

/** "7 / 5": the peak against the limit; a dash where either is unknown. */
export const peakOverLimit = (a: Pick<AlertView, "peak" | "limit">) => `${a.peak ?? "—"} / ${a.limit ?? "none"}`;

const num = z.number().catch(NaN);
const EvidenceSchema = z.looseObject({
  peakAtMs: num.optional(),
  requestsAtPeak: num.optional(),
  requests: z
    .array(z.object({ requestId: z.string(), startMs: z.number(), endMs: z.number(), model: z.string().nullable().optional() }))
    .catch([])
    .optional(),
  secondsOver: num.optional(),
  multiple: num.optional(),
  ratio: num.optional(),
  rejected: num.optional(),
  maxTrueInFlight: num.optional(),
  believedMax: num.nullable().optional(),
  trueInFlightMax: num.optional(),
  rawMin: num.nullable().optional(),
  samples: num.optional(),
});

export interface EvidenceRequest {
  requestId: string;
  startMs: number;
  endMs: number;
  model: string | null;
}

/** The evidence an alert keeps, as facts a person reads (each a label and a value) and the requests at its peak. */
export interface EvidenceView {
  facts: { label: string; value: string }[];
  peakAtMs: number | null;
  requests: EvidenceRequest[];
  /** Requests in flight at the peak, of which `requests` are the first kept. */
  requestsAtPeak: number | null;
}

const known = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * Each detector keeps its own evidence (lib/alerts/detect.ts): read what is there, leave out what is
 * not, so an alert of an older shape still shows what it has.
 */
export function evidenceView(a: Pick<AlertView, "detector" | "peak" | "limit" | "evidence">): EvidenceView {
  const e = EvidenceSchema.safeParse(a.evidence);
  const ev = e.success ? e.data : {};
  const facts: EvidenceView["facts"] = [];
  const add = (label: string, v: number | null | undefined, unit = "") => known(v) && facts.push({ label, value: `${v.toLocaleString("en-US")}${unit}` });
  if (a.detector === "exceeded" || a.detector === "multiplied") {
    add("Most requests at once (Inflight's truth)", a.peak);
    add("max_parallel_requests", a.limit);
    add("Requests in flight at the peak", ev.requestsAtPeak);
    add("Seconds above the limit", ev.secondsOver, " s");
    if (a.detector === "multiplied") {
      add("Multiple of the limit", ev.multiple, "×");
      add("Peak ÷ limit", ev.ratio);
    }
  } else if (a.detector === "stuck") {
    add("LiteLLM's count (its limiter)", ev.believedMax);
    add("Most really in flight", ev.maxTrueInFlight);
    add("max_parallel_requests", a.limit);
    add("429s for max_parallel_requests", ev.rejected);
  } else if (a.detector === "drift") {
    add("LiteLLM's count (its limiter), highest", ev.believedMax);
    add("Most really in flight", ev.trueInFlightMax);
    add("LiteLLM's raw counter, lowest", ev.rawMin);
    add("Samples that disagreed", ev.samples);
  }
  return {
    facts,
    peakAtMs: known(ev.peakAtMs) ? ev.peakAtMs : null,
    requests: (ev.requests ?? []).map((r) => ({ ...r, model: r.model ?? null })),
    requestsAtPeak: known(ev.requestsAtPeak) ? ev.requestsAtPeak : null,
  };
}
