// reconcile_window_ms[_postgres]: what the reconcile pass costs to check one settled hour that
// needs no repair (lib/ingest/reconcile.ts: the proxy counts the hour, split where its count stops
// at 10,000; the store counts its own), against re-reading that hour whole (every page over HTTP,
// parsed, normalized and committed, storing nothing new), on a store the ingest runs just filled.
import { normalizePage } from "@/lib/ingest/normalize";
import type { LiteLLMClient } from "@/lib/litellm/client";
import { observePipeline } from "@/lib/server/pipeline";
import { openStore } from "@/lib/store/open";
import type { Dialect } from "@/lib/store/store";
import { count, median, ms } from "./format";
import { TIMING, quiet } from "./seeded";
import { figureName } from "./stores";
import type { BenchResult } from "./types";

const HOUR_MS = 3_600_000;

/** Checks `hourStartMs`'s hour of a filled store both ways, `tries` times each; the medians. */
export async function reconcileFigure(d: Dialect, url: string, client: LiteLLMClient, hourStartMs: number, tries: number): Promise<BenchResult> {
  const store = await openStore(url);
  try {
    const pipeline = observePipeline({ store, client, timing: TIMING, log: quiet });
    const [fromMs, toMs] = [hourStartMs, hourStartMs + HOUR_MS];
    const checks: number[] = [];
    let report = await pipeline.reconciler.checkRange(fromMs, toMs); // warm: the route is found, statements prepared
    for (let i = 0; i < tries; i++) {
      const t0 = performance.now();
      report = await pipeline.reconciler.checkRange(fromMs, toMs);
      checks.push(performance.now() - t0);
      if (report.windowsRead !== 0 || report.inserted !== 0) throw new Error(`${d}: the reconcile check of a complete hour re-read ${report.windowsRead} windows`);
    }
    const rereads: number[] = [];
    let rows = 0;
    for (let i = 0; i < tries; i++) {
      const t0 = performance.now();
      const tally = { problems: {}, longerThanMax: 0 };
      rows = 0;
      for await (const page of pipeline.source.pages({ fromMs, toMs, order: "startAsc" })) {
        const normalized = normalizePage(page.rows, tally, TIMING.maxRequestMs, quiet);
        rows += normalized.length;
        const res = await store.ingest.commit("bench-reread", normalized, null);
        if (res.inserted !== 0) throw new Error(`${d}: re-reading a complete hour stored ${res.inserted} new rows`);
      }
      rereads.push(performance.now() - t0);
    }
    const value = median(checks);
    const baseline = median(rereads);
    console.log(
      `   ${d} reconcile: one settled hour of ${count(rows)} rows with nothing missing, checked in ${ms(value)} (median of ${tries}: ` +
        `${report.proxyRequests} proxy counts, ${report.windowsChecked} windows compared) against ${ms(baseline)} to re-read it whole`,
    );
    return { name: figureName("reconcile_window_ms", d), value, unit: "ms", baseline, ratio: baseline / value };
  } finally {
    await store.close();
  }
}
