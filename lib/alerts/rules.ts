import { z } from "zod";
import type { KeyRef } from "../catalog/repository";
import type { AlertRule, RuleScope } from "./repository";
import type { Detector } from "./types";

const seconds = (max: number) => z.number().int().min(0).max(max);

/**
 * Each detector's thresholds, with their defaults. Every time span is a parameter (tests run in
 * seconds); `minDurationS` is how long the condition must hold before the alert fires.
 */
export const RULE_PARAMS = {
  exceeded: z.object({
    /** In flight must exceed the limit by more than this many requests. */
    margin: z.number().int().min(0).max(100_000).default(0),
    minDurationS: seconds(86_400).default(0),
  }),
  stuck: z.object({
    /** True in-flight at most this share of the limit while max_parallel_requests 429s come. */
    belowRatio: z.number().min(0).max(1).default(0.5),
    /** Quiet seconds (no 429) bridged within one stretch: clients do not send every second. */
    gapS: seconds(3600).default(60),
    minDurationS: seconds(86_400).default(30),
  }),
  multiplied: z.object({
    /** The peak is within this share of a whole multiple (2×, 3×, …) of the limit. */
    tolerance: z.number().min(0).max(0.5).default(0.15),
    minDurationS: seconds(86_400).default(0),
  }),
  drift: z.object({
    /** LiteLLM's count above the truth by at least this many requests (or a negative windowed counter). */
    threshold: z.number().int().min(1).max(100_000).default(2),
    gapS: seconds(3600).default(10),
    minDurationS: seconds(86_400).default(120),
  }),
} satisfies Record<Detector, z.ZodType>;

export type RuleParams = { [D in Detector]: z.output<(typeof RULE_PARAMS)[D]> };

/** A rule's params, checked and completed with the defaults; readable messages on failure. */
export function parseParams<D extends Detector>(detector: D, params: unknown): RuleParams[D] {
  return RULE_PARAMS[detector].parse(params ?? {}) as RuleParams[D];
}

/** The rules Inflight makes out of the box: a channel configured by the environment alerts with no step in the UI. */
export function builtInRules(atMs: number): AlertRule[] {
  const rule = (detector: Detector, name: string): AlertRule => ({
    id: `default-${detector}`,
    name,
    detector,
    scope: { kind: "all" },
    params: parseParams(detector, {}),
    enabled: true,
    builtIn: true,
    createdAtMs: atMs,
    updatedAtMs: atMs,
  });
  return [
    rule("exceeded", "Concurrency above the limit"),
    rule("stuck", "Limiter stuck"),
    rule("multiplied", "Limit multiplied (per-worker counting)"),
  ];
}

/** Whether a rule covers a key. */
export function covers(scope: RuleScope, key: Pick<KeyRef, "hash" | "teamId">): boolean {
  if (scope.kind === "all") return true;
  if (scope.kind === "team") return key.teamId === scope.teamId;
  return key.hash === scope.keyHash;
}
