import type { BurstProgress } from "./fire";

export const RUN_STATES = ["running", "done", "failed", "interrupted"] as const;
/** "done": a report (whatever its verdict); "failed": no report, a message; "interrupted": its process died. */
export type RunState = (typeof RUN_STATES)[number];

/** What a run put on the proxy that must be undone: a metadata entry of the key itself, as it was. */
export interface MetadataRestore {
  entry: string;
  /** Whether the key had the entry, and its value then. */
  had: boolean;
  value: unknown;
}

/** A run as it starts. */
export interface NewBurstRun {
  id: string;
  keyHash: string;
  keyAlias: string | null;
  teamId: string | null;
  actorLabel: string;
  auditId: number | null;
  target: "twin" | "key";
  plan: Record<string, unknown>;
  startedMs: number;
}

export interface BurstRunRow extends NewBurstRun {
  state: RunState;
  heartbeatMs: number;
  endedMs: number | null;
  cancelRequested: boolean;
  progress: BurstProgress | null;
  verdict: string | null;
  /** The report (lib/burst/report.ts), JSON as stored; null until the run ends with one. */
  report: unknown;
  message: string | null;
  twinHash: string | null;
  restore: MetadataRestore | null;
}

/** A run in a list: everything but the report. */
export type BurstRunSummary = Omit<BurstRunRow, "report">;

/**
 * Burst runs: stored when they start, their progress while they run, the report when they end, and
 * what they must still undo on the proxy (written before the change, cleared once undone).
 */
export interface BurstRunRepository {
  create(run: NewBurstRun): Promise<void>;
  /**
   * The run is alive: its progress now. Answers whether a cancel was asked for, and whether the run
   * is still running in the store (false: it was ended meanwhile, e.g. repaired as interrupted).
   */
  heartbeat(id: string, progress: BurstProgress | null, atMs: number): Promise<{ cancelRequested: boolean; running: boolean }>;
  /**
   * The run made a twin key: to delete (until `twinDeleted`), and for good one of Inflight's own
   * instruments, which the catalog's key lists leave out.
   */
  twinCreated(id: string, twinHash: string, atMs: number): Promise<void>;
  twinDeleted(id: string): Promise<void>;
  /** What the run must put back in the key's metadata (null: nothing any more). */
  setRestore(id: string, restore: MetadataRestore | null): Promise<void>;
  /** Ends the run (a running one only; false when it had ended already, e.g. repaired as interrupted). */
  finish(id: string, end: { state: Exclude<RunState, "running">; endedMs: number; verdict: string | null; report: unknown; message: string | null }): Promise<boolean>;
  /** Replaces an ended run's report (the spend logs' view arrived). */
  updateReport(id: string, verdict: string, report: unknown): Promise<void>;
  /** Asks a running run to stop; false when it is not running. */
  requestCancel(id: string): Promise<boolean>;
  get(id: string): Promise<BurstRunRow | null>;
  /** A key's runs, newest first. */
  listForKey(keyHash: string, limit: number): Promise<BurstRunSummary[]>;
  /** Runs still marked running whose heartbeat stopped before this instant, and runs with something left to undo. */
  needingRepair(heartbeatBeforeMs: number): Promise<BurstRunSummary[]>;
}
