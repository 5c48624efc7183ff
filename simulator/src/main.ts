/** Entry point: `npm run simulator -- [flags]` (see --help and simulator/README.md). */
import { HELP, UsageError, parseArgs, type Upperbound } from "./config";
import { PARALLEL_REQUEST_SLOT_TTL_SECONDS } from "./scripts";
import { Simulator } from "./simulator";

function main(): void {
  let cfg;
  try {
    cfg = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`simulator: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  if (cfg === "help") {
    console.log(HELP);
    return;
  }
  const sim = new Simulator(cfg);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    sim.stop().then(
      () => {
        console.log(`simulator stopped (${signal})`);
        process.exit(0);
      },
      (e) => {
        console.error(`simulator: error while stopping: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  sim.start().then(
    () => {
      console.log(
        `simulator limiter=${cfg.limiter} workers=${cfg.workers} window=${cfg.window}s redis=${cfg.redisUrl ?? "none"} flush=${sim.writer.intervalMs}ms` +
          // Printed only when set, so a default start prints what it always did.
          (cfg.spendLogDelay > 0 ? ` spend-log-delay=${cfg.spendLogDelay}s` : "") +
          (cfg.slotTtl !== PARALLEL_REQUEST_SLOT_TTL_SECONDS ? ` slot-ttl=${cfg.slotTtl}s` : "") +
          (cfg.leakMetadataRoutes ? " leak-metadata-routes" : "") +
          (cfg.trackerRedisUrl !== null ? ` tracker=${cfg.trackerRedisUrl}` : "") +
          (cfg.seed !== null ? ` seed=${cfg.seed}` : "") +
          (cfg.viewerKey !== null ? ` viewer-key=sk-...${cfg.viewerKey.slice(-4)}` : "") +
          upperboundLabel(cfg.upperbound),
      );
      console.log(`simulator listening on http://127.0.0.1:${sim.port}`);
    },
    async (e) => {
      const msg = (e as NodeJS.ErrnoException).code === "EADDRINUSE" ? `port ${cfg.port} is already in use` : (e as Error).message;
      console.error(`simulator: ${msg}`);
      await sim.stop().catch(() => {});
      process.exit(1);
    },
  );
}

/** ` upperbound=rpm:100,tpm:…` for the bounds that are set, else nothing (a default start prints what it always did). */
function upperboundLabel(u: Upperbound): string {
  const parts = [
    u.rpm_limit !== null ? `rpm:${u.rpm_limit}` : null,
    u.tpm_limit !== null ? `tpm:${u.tpm_limit}` : null,
    u.max_parallel_requests !== null ? `max_parallel:${u.max_parallel_requests}` : null,
  ].filter((x) => x !== null);
  return parts.length > 0 ? ` upperbound=${parts.join(",")}` : "";
}

main();
