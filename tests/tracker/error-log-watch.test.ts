// The disable_error_logs check over a real store: the tracker's limiter 429s per key and minute are
// held until the spend logs for those minutes are settled, then compared with the stored 429s.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rollupMinutes, sparseRows } from "../../lib/concurrency/downsample";
import { SPEND_LOG_SOURCE } from "../../lib/ingest/ingest";
import type { VirtualKey } from "../../lib/litellm/schemas";
import { ErrorLogWatch } from "../../lib/tracker/error-log-watch";
import { T0 } from "../support/rows";
import { createTestStore, type TestStore } from "../support/store";

const S0 = T0 / 1000;
const H = (c: string) => c.repeat(64);

describe("ErrorLogWatch", () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore("sqlite");
    await t.store.catalog.apply({ upserts: ["a", "b"].map((c) => ({ token: H(c), key_alias: c, team_id: null, max_parallel_requests: 2, rpm_limit: null, tpm_limit: null, blocked: false }) as VirtualKey), limitChanges: [], removed: [] }, T0);
  });
  afterEach(() => t?.close());

  /** Stored 429s (max_parallel_requests) of a key in the first minute. */
  async function stored429s(c: string, n: number) {
    const id = (await t.store.catalog.keyByHash(H(c)))!.id;
    const series = { fromSec: S0, maxInFlight: new Int32Array(60), admitted: new Int32Array(60), rejected: new Int32Array(60) };
    series.rejected[10] = n;
    await t.store.series.replace(id, S0, S0 + 60, sparseRows(series), rollupMinutes(series));
  }
  const watermark = (sec: number) => t.store.ingest.commit(SPEND_LOG_SOURCE, [], { completeBeforeMs: sec * 1000, endWatermarkMs: sec * 1000 });
  const tracked = (c: string, n: number) => new Map([[H(c), new Map([[S0, n]])]]);

  it("waits for settled spend logs, then says the 429s are missing (disable_error_logs) or present", async () => {
    const w = new ErrorLogWatch(t.store);
    await watermark(S0 + 30);
    expect(await w.add(tracked("a", 3), T0 + 40_000)).toEqual({ compared: 0, missing: 0, verdict: "unknown" });
    await watermark(S0 + 70);
    expect(await w.add(new Map(), T0 + 110_000)).toEqual({ compared: 1, missing: 1, verdict: "missing" });

    const logged = new ErrorLogWatch(t.store);
    await stored429s("b", 2);
    expect(await logged.add(tracked("b", 5), T0 + 200_000)).toEqual({ compared: 1, missing: 0, verdict: "present" });
  });
});
