// Server-only: burst tests started from the UI or the API (admins), run in this process in the
// background. Each run is stored as it starts, beats every second with its progress (any instance
// serves it, and a cancel asked on any instance reaches it), is audited, and after its verdict
// waits for the proxy's spend logs.
import crypto from "node:crypto";
import type { Principal } from "../accounts/roles";
import type { BurstStart } from "../api/bursts";
import type { AuditRepository } from "../audit/repository";
import type { KeyRef } from "../catalog/repository";
import { ApiError } from "../http/api-error";
import { ProxySpendLogSource } from "../ingest/source";
import type { LiteLLMClient } from "../litellm/client";
import { LiteLLMError } from "../litellm/errors";
import { hashKey } from "../litellm/hash-key";
import type { BurstProgress } from "./fire";
import { withSpendLogs, type BurstReport } from "./report";
import { verdictLine } from "./report-text";
import type { BurstRunRepository } from "./repository";
import { defaultRequests, runBurst, type BurstPlan } from "./run";
import { awaitSpendLogs } from "./spend-view";

export interface BurstServiceDeps {
  bursts: BurstRunRepository;
  audit: AuditRepository;
  litellm: LiteLLMClient;
  /** The proxy the requests go to (LITELLM_URL). */
  proxyUrl: string;
  /** LITELLM_RATE_LIMIT_WINDOW_SIZE, LITELLM_KEY_CACHE_TTL_S, INGEST_FLUSH_LAG_S and INGEST_CLOCK_SKEW_S, in seconds. */
  windowS: number;
  keyCacheTtlS: number;
  flushLagS: number;
  skewS: number;
  log: { info(msg: string): void; warn(msg: string): void };
  /** How often a run beats (ms); tests make it short. */
  heartbeatMs?: number;
}

/** How long a run waits for the proxy's spend logs beyond its usual flush lag. */
const SPEND_LOG_GRACE_MS = 30_000;

export class BurstService {
  /** Runs alive in this process: a cancel asked here stops them at once. */
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly d: BurstServiceDeps) {}

  /** Stores and audits the run, then runs it in the background; its id at once. */
  async start(who: Principal, key: KeyRef, ask: BurstStart): Promise<{ id: string }> {
    const id = crypto.randomBytes(9).toString("base64url");
    const startedMs = Date.now();
    const target = ask.target;
    // What is kept of the ask: never the raw key.
    // The default size from the limit the catalog knows, fixed here so progress has a total.
    const n = ask.n ?? (key.maxParallelRequests === null ? null : defaultRequests(key.maxParallelRequests, ask.rounds));
    const plan = { n, holdS: ask.holdS, rounds: ask.rounds, model: ask.model ?? null, twinInTeam: ask.twinInTeam, allowMockMetadata: ask.allowMockMetadata };
    if (ask.rawKey && hashKey(ask.rawKey) !== key.hash) throw new ApiError(422, "invalid_input", "rawKey: this is not the key under test (its hash differs)");
    // One run per key at a time: two would take each other's slots, and one could put back the
    // metadata the other still needs (its requests would then reach the provider).
    const busy = (await this.d.bursts.listForKey(key.hash, 20)).find((r) => r.state === "running" || r.restore !== null);
    if (busy) throw new ApiError(409, "conflict", `A burst test on this key is ${busy.state === "running" ? "running" : "still putting its metadata back"} (run ${busy.id}): wait for it to end`);
    const entry = await this.d.audit.append({
      atMs: startedMs,
      actorKind: who.kind,
      actorId: who.id,
      actorLabel: who.label,
      action: "key.burst",
      keyHash: key.hash,
      keyAlias: key.alias,
      teamId: key.teamId,
      before: null,
      after: { target, ...plan, run: id },
      reason: null,
      outcome: "pending",
      message: null,
    });
    await this.d.bursts.create({ id, keyHash: key.hash, keyAlias: key.alias, teamId: key.teamId, actorLabel: who.label, auditId: entry.id, target, plan, startedMs });
    const abort = new AbortController();
    this.running.set(id, abort);
    const burstPlan: BurstPlan = { keyHash: key.hash, n, holdS: ask.holdS, rawKey: ask.rawKey ?? null, model: ask.model ?? null, rounds: ask.rounds, windowS: this.d.windowS, twinInTeam: ask.twinInTeam, allowMockMetadata: ask.allowMockMetadata, keyCacheTtlS: this.d.keyCacheTtlS };
    void this.run(id, entry.id, burstPlan, abort)
      .catch((e: Error) => this.d.log.warn(`[burst ${id}] the run's bookkeeping failed: ${e.message}`))
      .finally(() => this.running.delete(id));
    return { id };
  }

  /** Asks a running run to stop (here at once; elsewhere at its next beat); false when it is not running. */
  async cancel(id: string): Promise<boolean> {
    const asked = await this.d.bursts.requestCancel(id);
    this.running.get(id)?.abort();
    return asked;
  }

  private async run(id: string, auditId: number, plan: BurstPlan, abort: AbortController): Promise<void> {
    let progress: BurstProgress | null = null;
    let ranOn: string | null = plan.rawKey ? plan.keyHash : null;
    const beat = async () => {
      const { cancelRequested, running } = await this.d.bursts.heartbeat(id, progress, Date.now());
      // Ended under it (repaired as interrupted after silent beats): stop, and leave the repair's word.
      if ((cancelRequested || !running) && !abort.signal.aborted) abort.abort();
    };
    const timer = setInterval(() => void beat().catch((e: Error) => this.d.log.warn(`[burst ${id}] heartbeat: ${e.message}`)), this.d.heartbeatMs ?? 1000);
    let report: BurstReport;
    try {
      report = await runBurst(this.d.litellm, this.d.proxyUrl, plan, {
        log: (line) => this.d.log.info(`[burst ${id}] ${line}`),
        onProgress: (p) => (progress = p),
        signal: abort.signal,
        cleanup: {
          twin: async (hash) => {
            if (hash) ranOn = hash;
            await (hash ? this.d.bursts.twinCreated(id, hash, Date.now()) : this.d.bursts.twinDeleted(id));
          },
          restore: (r) => this.d.bursts.setRestore(id, r),
        },
      });
    } catch (e) {
      clearInterval(timer);
      const message = (e as Error).message;
      if (!(await this.d.bursts.finish(id, { state: "failed", endedMs: Date.now(), verdict: null, report: null, message }))) return;
      const outcome = e instanceof LiteLLMError && !e.transient ? "refused" : "unreachable";
      await this.d.audit.settle(auditId, { outcome, message, after: null });
      return;
    }
    clearInterval(timer);
    await this.d.bursts.heartbeat(id, progress, Date.now());
    if (!(await this.d.bursts.finish(id, { state: "done", endedMs: report.endedMs, verdict: report.verdict, report, message: null }))) {
      this.d.log.warn(`[burst ${id}] ended after it was marked interrupted: its report is not kept`);
      return;
    }
    await this.d.audit.settle(auditId, { outcome: "applied", message: verdictLine(report), after: auditSummary(report, id) });
    if (report.admitted > 0 && ranOn) await this.awaitProxyView(id, auditId, report, ranOn);
  }

  /** The proxy's spend logs, stored as they come in ("N of M so far"), then the verdict they confirm. */
  private async awaitProxyView(id: string, auditId: number, report: BurstReport, keyHash: string): Promise<void> {
    try {
      const view = await awaitSpendLogs(new ProxySpendLogSource(this.d.litellm), report.requests, {
        keyHash,
        waitMs: this.d.flushLagS * 1000 + SPEND_LOG_GRACE_MS,
        pollMs: 2000,
        skewMs: this.d.skewS * 1000,
        onWaiting: async (v) => {
          const so = withSpendLogs(report, v);
          await this.d.bursts.updateReport(id, so.verdict, so);
        },
      });
      const final = withSpendLogs(report, view);
      await this.d.bursts.updateReport(id, final.verdict, final);
      if (final.verdict !== report.verdict) await this.d.audit.settle(auditId, { outcome: "applied", message: verdictLine(final), after: auditSummary(final, id) });
    } catch (e) {
      this.d.log.warn(`[burst ${id}] could not read the proxy's spend logs: ${(e as Error).message}`);
    }
  }
}

/** What the audit trail keeps of a run: the verdict and its figures, not every request. */
function auditSummary(r: BurstReport, id: string): Record<string, unknown> {
  return { run: id, target: r.target, verdict: r.verdict, limit: r.limit, n: r.n, rounds: r.rounds, holdS: r.holdS, sent: r.sent, admitted: r.admitted, rejected: r.rejected, peak: r.peak };
}
