// A limit changed on the proxy (`/key/update`) becomes a limit step on the key's chart, end to end:
// the runner's catalog job reads `/key/list`, records the change with the time it was seen, and
// the key page's series (readKeySeries, what /api/keys/[hash]/series answers) draws the old limit,
// then the new one from that time on; "no limit" is a step too. On each store.
import { afterEach, describe, expect, it } from "vitest";
import { buildApp, closeApp, createRunner } from "../../lib/server/app";
import { readKeySeries } from "../../lib/series/key-series";
import type { Store } from "../../lib/store/store";
import { testRunnerConfig } from "../support/runner-config";
import { simAdmin, startSimulator } from "../support/simulator";
import { createTestDatabase, DIALECTS } from "../support/store";
import { waitFor } from "../support/wait";

const quiet = { warn: () => undefined, info: () => undefined };
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** The key's limit changes the catalog has recorded so far. */
async function changes(store: Store, hash: string) {
  const key = await store.catalog.keyByHash(hash);
  return key ? store.catalog.limitChanges([key.id], Number.MAX_SAFE_INTEGER) : [];
}

describe.each(DIALECTS)("a limit change on the proxy (%s store)", (dialect) => {
  it("becomes a step of the key's limit line at the time the runner saw it, 'no limit' included", { timeout: 120_000 }, async () => {
    const sim = await startSimulator([]);
    cleanups.push(() => sim.stop());
    const db = await createTestDatabase(dialect);
    cleanups.push(() => db.remove());
    const app = await buildApp(testRunnerConfig({ INFLIGHT_DATABASE_URL: db.url, LITELLM_URL: sim.url, LITELLM_MASTER_KEY: sim.masterKey }));
    cleanups.push(() => closeApp(app));
    const key = (await simAdmin(sim, "POST", "/key/generate", { key_alias: "step", max_parallel_requests: 3 })) as { key: string; token_id: string };
    const begin = Date.now();
    const runner = createRunner(app, quiet)!;
    runner.start();
    cleanups.push(() => runner.stop());

    await waitFor(async () => (await changes(app.store, key.token_id)).length === 1, { what: "the key and its first limit in the catalog", timeoutMs: 30_000 });
    const raisedAt = Date.now();
    await simAdmin(sim, "POST", "/key/update", { key: key.key, max_parallel_requests: 7 });
    await waitFor(async () => (await changes(app.store, key.token_id)).length === 2, { what: "the raised limit to be recorded", timeoutMs: 30_000 });
    const seenRaised = Date.now();
    const clearedAt = Date.now();
    await simAdmin(sim, "POST", "/key/update", { key: key.key, max_parallel_requests: null });
    await waitFor(async () => (await changes(app.store, key.token_id)).length === 3, { what: "the cleared limit to be recorded", timeoutMs: 30_000 });
    const seenCleared = Date.now();

    const ref = (await app.store.catalog.keyByHash(key.token_id))!;
    const from = begin - 60_000;
    const series = await readKeySeries(app.store, ref, { from, to: seenCleared + 60_000, maxPoints: 200 });
    const steps = series.limits.map((s) => ({ mpr: s.maxParallelRequests, source: s.source }));
    expect(steps).toEqual([
      { mpr: 3, source: "proxy" },
      { mpr: 7, source: "proxy" },
      { mpr: null, source: "proxy" },
    ]);
    // The first step stands for the time before Inflight saw the key; each change starts when the
    // runner saw it: after the update was sent, no later than when the test saw it recorded.
    expect(series.limits[0].fromMs).toBe(series.fromMs);
    expect(series.limits[1].fromMs).toBeGreaterThanOrEqual(raisedAt);
    expect(series.limits[1].fromMs).toBeLessThanOrEqual(seenRaised);
    expect(series.limits[2].fromMs).toBeGreaterThanOrEqual(clearedAt);
    expect(series.limits[2].fromMs).toBeLessThanOrEqual(seenCleared);
    // The key itself now says "no limit".
    expect((await app.store.catalog.keyByHash(key.token_id))!.maxParallelRequests).toBeNull();
  });
});
