// `npm run burst -- --key <alias|hash> [--n N] [--hold S] [--rounds R] [--model M] [--raw-key-env VAR]`: fires N
// concurrent zero-cost requests at a key (a temporary twin of it by default) and says whether its
// max_parallel_requests held. Prints the report and ends with `verdict: …`; exits 0 on PASS, 1 on a
// FAIL, 2 otherwise. Standalone: the proxy from LITELLM_URL and LITELLM_MASTER_KEY, as `npm start`.
import { parseArgs } from "node:util";
import { ConfigError, serverConfig } from "../lib/config/env";
import { formatReport, verdictLine } from "../lib/burst/report-text";
import { runBurst } from "../lib/burst/run";
import { LiteLLMClient } from "../lib/litellm/client";

const USAGE = "usage: npm run burst -- --key <alias|hash> [--n N] [--hold S] [--rounds R] [--model M] [--twin|--raw-key-env VAR]";

/** A usage error: said in one line, exit 2. */
class UsageError extends Error {}

function positive(name: string, v: string | undefined, fallback: number | null, max: number): number | null {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new UsageError(`--${name} must be a number above 0 and at most ${max} (got "${v}")`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      key: { type: "string" },
      n: { type: "string" },
      hold: { type: "string" },
      rounds: { type: "string" },
      model: { type: "string" },
      "raw-key-env": { type: "string" },
      twin: { type: "boolean" },
    },
    strict: true,
  });
  if (!values.key) throw new UsageError(USAGE);
  if (values.twin && values["raw-key-env"]) throw new UsageError("--twin and --raw-key-env exclude each other");
  const n = positive("n", values.n, null, 500);
  if (n !== null && !Number.isInteger(n)) throw new UsageError("--n must be a whole number");
  const holdS = positive("hold", values.hold, 3, 600)!;
  const rounds = positive("rounds", values.rounds, 1, 10)!;
  if (!Number.isInteger(rounds)) throw new UsageError("--rounds must be a whole number");
  let rawKey: string | null = null;
  if (values["raw-key-env"]) {
    rawKey = process.env[values["raw-key-env"]] ?? null;
    if (!rawKey) throw new UsageError(`--raw-key-env ${values["raw-key-env"]}: that variable is not set`);
  }

  const c = serverConfig();
  if (!c.LITELLM_URL || !c.LITELLM_MASTER_KEY) throw new UsageError("set LITELLM_URL and LITELLM_MASTER_KEY to the proxy whose key to test");
  const admin = new LiteLLMClient({ baseUrl: c.LITELLM_URL, apiKey: c.LITELLM_MASTER_KEY });
  const keyHash = await resolveKey(admin, values.key);

  const abort = new AbortController();
  process.once("SIGINT", () => {
    console.log("cancelling: every request is aborted, the twin key deleted");
    abort.abort();
  });
  let lastLine = 0;
  const report = await runBurst(
    admin,
    c.LITELLM_URL,
    { keyHash, n, holdS, rawKey, model: values.model ?? null, rounds, windowS: c.LITELLM_RATE_LIMIT_WINDOW_SIZE },
    {
      log: (line) => console.log(line),
      // The terminal's progress, at most every 250 ms and at the end.
      onProgress: (p) => {
        if (p.done < p.sent && Date.now() - lastLine < 250) return;
        lastLine = Date.now();
        console.log(`sent ${p.sent} · admitted ${p.admitted} · rejected ${p.rejected} · other ${p.other} · in flight ${p.inFlight} · done ${p.done}`);
      },
      signal: abort.signal,
    },
  );
  console.log(formatReport(report));
  console.log(verdictLine(report));
  return report.verdict === "PASS" ? 0 : report.verdict === "INCONCLUSIVE" ? 2 : 1;
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
