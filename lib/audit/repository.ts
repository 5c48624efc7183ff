/**
 * How a change ended. "pending": written before LiteLLM is called, so a crash mid-call leaves a
 * trace; "unconfirmed": LiteLLM answered but the re-read disagrees (or never came); "external":
 * made outside Inflight and seen by the catalog sync.
 */
export const OUTCOMES = ["pending", "applied", "refused", "unreachable", "unconfirmed", "external"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** One line of the audit trail. `before` and `after` hold only the fields that changed. */
export interface AuditEntry {
  atMs: number;
  actorKind: "user" | "token" | "proxy";
  actorId: string | null;
  actorLabel: string;
  /** e.g. "key.limits" */
  action: string;
  keyHash: string | null;
  keyAlias: string | null;
  teamId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
  outcome: Outcome;
  /** LiteLLM's words on a refusal, or what failed. */
  message: string | null;
}

export interface StoredAuditEntry extends AuditEntry {
  id: number;
}

export interface AuditFilter {
  keyHash?: string;
  /** Matches the actor's label (email or token name), case-insensitive, part of it. */
  actor?: string;
  outcome?: Outcome;
  fromMs?: number;
  toMs?: number;
  /** Only entries about keys of these teams (a team-limited viewer); null: all. */
  teams?: string[] | null;
  /** Entries older than this id (paging, newest first). */
  beforeId?: number;
  limit: number;
}

export interface AuditRepository {
  append(e: AuditEntry): Promise<StoredAuditEntry>;
  /** Settles a pending entry: its outcome, message and the values LiteLLM confirmed. */
  settle(id: number, s: { outcome: Outcome; message: string | null; after: Record<string, unknown> | null }): Promise<void>;
  /** Pending entries older than this (their process died mid-call). */
  pendingBefore(atMs: number): Promise<StoredAuditEntry[]>;
  /** Newest first. */
  list(f: AuditFilter): Promise<StoredAuditEntry[]>;
}
