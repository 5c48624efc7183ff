import fs from "node:fs";
import os from "node:os";
import { BenchStores } from "./stores";
import { suites } from "./suites";
import type { BenchResult, BenchSuite } from "./types";

/** Runs every bench suite, prints each figure against its baseline and writes bench-results.json. */
async function main() {
  const quick = process.argv.includes("--quick");
  const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
  const results: BenchResult[] = [];
  // One Postgres cluster for the whole run (started by the first suite that needs it), stopped at the end, also on failure.
  const stores = new BenchStores();
  const started = Date.now();
  try {
    for (const [name, suite] of Object.entries(suites) as [string, BenchSuite][]) {
      if (only && !only.split(",").includes(name)) continue;
      console.log(`\n== ${name}${quick ? " (quick)" : ""}`);
      const t0 = Date.now();
      for (const r of await suite({ quick, stores })) {
        results.push(r);
        console.log(
          `${r.name.padEnd(36)} ${fmt(r.value).padStart(12)} ${r.unit.padEnd(8)} baseline ${fmt(r.baseline).padStart(12)}  ratio ${r.ratio.toFixed(2)}x`,
        );
      }
      // The 1-minute load average: other work on the machine shows up here (2 cores: above ~2 the figures are disturbed).
      console.log(`   (${((Date.now() - t0) / 1000).toFixed(1)} s; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
    }
  } finally {
    await stores.close();
  }
  fs.writeFileSync("bench-results.json", JSON.stringify({ results }, null, 2) + "\n");
  console.log(`\nwrote bench-results.json (${results.length} figures) after ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(2);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
