import { z } from "zod";
import type { BurstProgress } from "../burst/fire";
import type { BurstReport } from "../burst/report";
import type { RunState } from "../burst/repository";

// The burst-test contract: the form in the browser, `npm run burst` through an Inflight, and the
// routes check a start with the same schema.

/** The most requests one test fires (each holds a connection): lib/burst/run.ts MAX_BURST. */
export const MAX_BURST_REQUESTS = 500;

export const BurstStartSchema = z
  .object({
    /** The key by alias or hash: `POST /api/bursts` only (the key page's route names it in the path). */
    key: z.string().trim().min(1).max(200).optional(),
    /** Requests fired at once; absent: a few times the limit. */
    n: z.number().int("n: a whole number").min(1, "n: at least 1").max(MAX_BURST_REQUESTS, `n: at most ${MAX_BURST_REQUESTS}`).optional(),
    holdS: z.number().min(0.5, "holdS: at least 0.5 s").max(600, "holdS: at most 600 s").default(3),
    rounds: z.number().int("rounds: a whole number").min(1).max(10, "rounds: at most 10").default(1),
    model: z.string().trim().min(1).max(200).optional(),
    target: z.enum(["twin", "key"]).default("twin"),
    /** The key's raw `sk-` value (target "key"): held in memory for the run only, never stored or logged. */
    rawKey: z.string().regex(/^sk-[\x21-\x7e]+$/, "rawKey: the key itself, starting with sk-").max(500, "rawKey: too long for a key").optional(),
    /** The twin joins the key's team (it then spends the team's limits). */
    twinInTeam: z.boolean().default(false),
    /** Consent to set allow_client_mock_response: true on the key itself for the run (put back afterwards). */
    allowMockMetadata: z.boolean().default(false),
  })
  .strict()
  .refine((v) => v.target !== "key" || v.rawKey !== undefined, { message: "rawKey: testing the key itself needs its raw sk- value", path: ["rawKey"] })
  .refine((v) => v.target !== "twin" || (v.rawKey === undefined && !v.allowMockMetadata), {
    message: "target: a twin key needs no raw key and no metadata change (choose target key for those)",
    path: ["target"],
  });
export type BurstStart = z.infer<typeof BurstStartSchema>;

/** A run as the API shows it: its report once it has one. */
export interface BurstRunView {
  id: string;
  keyHash: string;
  keyAlias: string | null;
  actorLabel: string;
  state: RunState;
  target: "twin" | "key";
  plan: Record<string, unknown>;
  startedMs: number;
  endedMs: number | null;
  cancelRequested: boolean;
  progress: BurstProgress | null;
  verdict: string | null;
  message: string | null;
  /** Something the run changed on the proxy is not undone yet (a twin key, the key's metadata). */
  cleanupPending: boolean;
  auditId: number | null;
  report: BurstReport | null;
}

export type BurstRunListItem = Omit<BurstRunView, "report">;
