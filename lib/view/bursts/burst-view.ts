// What the burst pages show of a report, pure: the admitted requests in flight over the test (the
// chart), the planned total (progress), and how a verdict reads.
import type { BurstReport } from "../../burst/report";
import type { BurstRequest } from "../../burst/verdict";

export interface InFlightStep {
  /** Seconds since the first request was sent. */
  t: number;
  /** Admitted requests in flight from then on (client timings). */
  admitted: number;
}

/**
 * The admitted requests in flight as steps: one point per instant the count changes (ends before
 * starts at the same instant, as the verdict counts), from 0 at the first send to 0 after the last end.
 */
export function inFlightSteps(requests: readonly BurstRequest[]): InFlightStep[] {
  if (!requests.length) return [];
  const t0 = Math.min(...requests.map((r) => r.sentMs));
  const edges = requests.filter((r) => r.status === 200).flatMap((r) => [
    { t: r.sentMs, d: 1 },
    { t: r.endMs, d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  const steps: InFlightStep[] = [{ t: 0, admitted: 0 }];
  let n = 0;
  for (const e of edges) {
    n += e.d;
    const t = (e.t - t0) / 1000;
    if (steps.at(-1)!.t === t) steps.at(-1)!.admitted = n;
    else steps.push({ t, admitted: n });
  }
  return steps;
}

/** The requests a run fires in all (per round × rounds); null when it was not planned (the default). */
export function plannedTotal(plan: Record<string, unknown>, report: Pick<BurstReport, "n" | "rounds"> | null): number | null {
  if (report) return report.n * report.rounds;
  const n = typeof plan.n === "number" ? plan.n : null;
  const rounds = typeof plan.rounds === "number" ? plan.rounds : 1;
  return n === null ? null : n * rounds;
}

export type VerdictTone = "pass" | "fail" | "unknown" | "running";

export function verdictTone(verdict: string | null, state: string): VerdictTone {
  if (state === "running") return "running";
  if (verdict === "PASS") return "pass";
  if (verdict?.startsWith("FAIL")) return "fail";
  return "unknown";
}

/** The verdict in a few words for lists and headings. */
export function verdictLabel(verdict: string | null, state: string): string {
  if (state === "running") return "Running";
  if (state === "interrupted") return "Interrupted";
  if (state === "failed") return "Failed to run";
  switch (verdict) {
    case "PASS":
      return "Pass: the limit held";
    case "FAIL-leaky":
      return "Fail: leaky limit";
    case "FAIL-multiplied":
      return "Fail: limit multiplied";
    case "FAIL-stuck":
      return "Fail: stuck slots";
    default:
      return "Inconclusive";
  }
}
