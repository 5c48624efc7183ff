// `npm run burst -- --key <alias|hash> [--n N] [--hold S] [--rounds R] [--model M] [--twin|--raw-key-env VAR]
// [--allow-mock-metadata] [--twin-in-team]`: fires N concurrent zero-cost requests at a key (a temporary
// twin of it by default) and says whether its max_parallel_requests held, then waits for the proxy's
// spend logs to confirm. Prints the report and ends with `verdict: …`; exits 0 on PASS, 1 on a FAIL,
// 2 otherwise. With INFLIGHT_URL and INFLIGHT_TOKEN (an admin API token) it runs through that
// Inflight (stored, audited, shown in its UI; no proxy secret here); otherwise standalone with the
// proxy from LITELLM_URL and LITELLM_MASTER_KEY, as `npm start`.
import { parseArgs } from "node:util";
import { BurstStartSchema, MAX_BURST_REQUESTS, type BurstRunView, type BurstStart } from "../lib/api/bursts";
import { ConfigError, serverConfig } from "../lib/config/env";
import type { BurstProgress } from "../lib/burst/fire";
import { awaitingSpendLogs, withSpendLogs, type BurstReport } from "../lib/burst/report";
import { formatReport, spendLogLine, verdictLine } from "../lib/burst/report-text";
import { runBurst } from "../lib/burst/run";
import { sleep } from "../lib/burst/sleep";
import { awaitSpendLogs } from "../lib/burst/spend-view";
import { ProxySpendLogSource } from "../lib/ingest/source";
import { LiteLLMClient } from "../lib/litellm/client";
import { hashKey } from "../lib/litellm/hash-key";

const USAGE =
  "usage: npm run burst -- --key <alias|hash> [--n N] [--hold S] [--rounds R] [--model M] [--twin|--raw-key-env VAR] [--allow-mock-metadata] [--twin-in-team]";

/** A usage error: said in one line, exit 2. */
class UsageError extends Error {}

function positive(name: string, v: string | undefined, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new UsageError(`--${name} must be a number above 0 and at most ${max} (got "${v}")`);
  return n;
}

/** The command line as the start of a run (the same schema the UI and the API check). */
function parseAsk(): BurstStart & { key: string } {
  const { values } = parseArgs({
    options: {
      key: { type: "string" },
      n: { type: "string" },
      hold: { type: "string" },
      rounds: { type: "string" },
      model: { type: "string" },
      "raw-key-env": { type: "string" },
      twin: { type: "boolean" },
      "allow-mock-metadata": { type: "boolean" },
      "twin-in-team": { type: "boolean" },
    },
    strict: true,
  });
  if (!values.key) throw new UsageError(USAGE);
  if (values.twin && values["raw-key-env"]) throw new UsageError("--twin and --raw-key-env exclude each other");
  if (values["allow-mock-metadata"] && !values["raw-key-env"]) throw new UsageError("--allow-mock-metadata changes the key itself: use it with --raw-key-env");
  let rawKey: string | undefined;
  if (values["raw-key-env"]) {
    rawKey = process.env[values["raw-key-env"]];
    if (!rawKey) throw new UsageError(`--raw-key-env ${values["raw-key-env"]}: that variable is not set`);
  }
  const parsed = BurstStartSchema.safeParse({
    key: values.key,
    n: positive("n", values.n, MAX_BURST_REQUESTS),
    holdS: positive("hold", values.hold, 600),
    rounds: positive("rounds", values.rounds, 10),
    model: values.model,
    target: rawKey ? "key" : "twin",
    rawKey,
    twinInTeam: Boolean(values["twin-in-team"]),
    allowMockMetadata: Boolean(values["allow-mock-metadata"]),
  });
  // The schema's words, never the values (the raw key must not reach a log).
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join("; "));
  return { ...parsed.data, key: values.key };
}

/** The terminal's progress: at most every 250 ms, and when the burst is done. */
function progressPrinter(): (p: BurstProgress) => void {
  let last = 0;
  return (p) => {
    if (p.done < p.sent && Date.now() - last < 250) return;
    last = Date.now();
    console.log(`sent ${p.sent} · admitted ${p.admitted} · rejected ${p.rejected} · other ${p.other} · in flight ${p.inFlight} · done ${p.done}`);
  };
}

async function main(): Promise<number> {
  const ask = parseAsk();
  const inflightUrl = process.env.INFLIGHT_URL;
  const token = process.env.INFLIGHT_TOKEN;
  if (Boolean(inflightUrl) !== Boolean(token)) throw new UsageError("set both INFLIGHT_URL and INFLIGHT_TOKEN (an admin API token) to run through an Inflight, or neither");
  const abort = new AbortController();
  // Ctrl+C, and a CI job's cancel or timeout (SIGTERM), or a closed terminal: the run still cleans up.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.log("cancelling: every request is aborted, the twin key deleted");
      abort.abort();
    });
  }
  const report = inflightUrl && token ? await throughInflight(inflightUrl, token, ask, abort.signal) : await standalone(ask, abort.signal);
  if (!report) return 2;
  console.log(formatReport(report));
  console.log(verdictLine(report));
  return report.verdict === "PASS" ? 0 : report.verdict === "INCONCLUSIVE" ? 2 : 1;
}

/** The run in this process, with the proxy's credentials; then the proxy's spend logs. */
async function standalone(ask: BurstStart & { key: string }, signal: AbortSignal): Promise<BurstReport> {
  const c = serverConfig();
  if (!c.LITELLM_URL || !c.LITELLM_MASTER_KEY) throw new UsageError("set LITELLM_URL and LITELLM_MASTER_KEY to the proxy whose key to test (or INFLIGHT_URL and INFLIGHT_TOKEN)");
  if (ask.allowMockMetadata) {
    // Standalone, nothing durable would know what to put back if this process were killed.
    throw new UsageError("--allow-mock-metadata runs through an Inflight (INFLIGHT_URL and INFLIGHT_TOKEN): it stores what to put back in the key's metadata before changing it, so even a crash is repaired");
  }
  const admin = new LiteLLMClient({ baseUrl: c.LITELLM_URL, apiKey: c.LITELLM_MASTER_KEY });
  const keyHash = await resolveKey(admin, ask.key);
  let ranOn = ask.rawKey ? hashKey(ask.rawKey) : null;
  const report = await runBurst(
    admin,
    c.LITELLM_URL,
    {
      keyHash,
      n: ask.n ?? null,
      holdS: ask.holdS,
      rawKey: ask.rawKey ?? null,
      model: ask.model ?? null,
      rounds: ask.rounds,
      windowS: c.LITELLM_RATE_LIMIT_WINDOW_SIZE,
      twinInTeam: ask.twinInTeam,
    },
    {
      log: (line) => console.log(line),
      onProgress: progressPrinter(),
      signal,
      cleanup: { twin: async (hash) => void (hash && (ranOn = hash)), restore: async () => undefined },
    },
  );
  if (!report.admitted || !ranOn || signal.aborted) return report;
  console.log(spendLogLine(report));
  let said = "";
  const view = await awaitSpendLogs(new ProxySpendLogSource(admin), report.requests, {
    keyHash: ranOn,
    waitMs: (c.INGEST_FLUSH_LAG_S + 30) * 1000,
    pollMs: 2000,
    skewMs: c.INGEST_CLOCK_SKEW_S * 1000,
    signal,
    onWaiting: (v) => {
      const line = spendLogLine({ spendLogs: v });
      if (line !== said) console.log((said = line));
    },
  });
  return withSpendLogs(report, view);
}

/**
 * The run through an Inflight (stored, audited, in its UI): started with the admin token, followed
 * until its report has the proxy's view; a cancel here cancels it there.
 */
async function throughInflight(base: string, token: string, ask: BurstStart, signal: AbortSignal): Promise<BurstReport | null> {
  const api = async <T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> => {
    const res = await fetch(new URL(path, base), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    if (!res.ok) throw new Error(`Inflight answered ${res.status}: ${json?.error?.message ?? res.statusText}`);
    return json as T;
  };
  const { id } = await api<{ id: string }>("POST", "/api/bursts", ask);
  const page = new URL(`/bursts/${id}`, base).toString();
  console.log(`burst test ${id} started on ${base} (${page})`);
  signal.addEventListener("abort", () => void api("POST", `/api/bursts/${id}/cancel`).catch((e: Error) => console.log(`cancel: ${e.message}`)), { once: true });
  const printProgress = progressPrinter();
  let said = "";
  for (;;) {
    const run = await api<BurstRunView>("GET", `/api/bursts/${id}`);
    if (run.state === "running") {
      if (run.progress) printProgress(run.progress);
    } else if (run.state !== "done" || !run.report) {
      console.log(`the burst test ${run.state}: ${run.message ?? "no report"}`);
      console.log(`verdict: INCONCLUSIVE (${run.message ?? `the run ${run.state}`})`);
      return null;
    } else {
      const r = run.report;
      const waiting = !signal.aborted && awaitingSpendLogs(r, Date.now());
      if (!waiting) {
        console.log(`report     ${page}`);
        return r;
      }
      const line = spendLogLine(r);
      if (line !== said) console.log((said = line));
    }
    await sleep(500);
  }
}

/** A key named by its hash, or by its alias (which must name exactly one key). */
async function resolveKey(admin: LiteLLMClient, key: string): Promise<string> {
  if (/^[0-9a-f]{64}$/.test(key)) return key;
  const found = (await admin.listAllKeys()).filter((k) => k.key_alias === key);
  if (found.length === 0) throw new UsageError(`no key with alias "${key}" on the proxy`);
  if (found.length > 1) throw new UsageError(`${found.length} keys have alias "${key}": name one by its hash`);
  return found[0].token;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    const message = e instanceof Error ? e.message : String(e);
    console.error(e instanceof UsageError || e instanceof ConfigError ? message : `burst test failed: ${message}`);
    console.log(`verdict: INCONCLUSIVE (${message.split("\n")[0]})`);
    process.exit(2);
  },
);
