// A key's series carries the tracker's live truth only where spend logs have not settled the truth:
// from the bucket holding the ingest cursor on, at the chart's bucket size.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPEND_LOG_SOURCE } from "../../lib/ingest/store-page";
import type { VirtualKey } from "../../lib/litellm/schemas";
import { readKeySeries } from "../../lib/series/key-series";
import { createTestStore, type TestStore } from "../support/store";

const HASH = "c".repeat(64);
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);

describe("readKeySeries: the live edge", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await createTestStore("sqlite");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("returns live buckets from the cursor's bucket to the range end, none before", async () => {
    const s = t.store;
    await s.catalog.apply({ upserts: [{ token: HASH, key_alias: "live", team_id: null, max_parallel_requests: 2, rpm_limit: null, tpm_limit: null, blocked: false } as VirtualKey], limitChanges: [], removed: [] }, T0);
    const key = (await s.catalog.keyByHash(HASH))!;
    const sec = T0 / 1000;
    // Spend logs are complete up to T0 + 30.5 s.
    await s.ingest.commit(SPEND_LOG_SOURCE, [], { completeBeforeMs: T0 + 30_500, endWatermarkMs: T0 + 30_500 });
    await s.live.write([10, 29, 30, 31, 40].map((d, i) => ({ keyId: key.id, sec: sec + d, maxInFlight: i + 1 })));

    const perSecond = await readKeySeries(s, key, { from: T0, to: T0 + 60_000, maxPoints: 1500 });
    expect(perSecond.bucketMs).toBe(1000);
    expect(perSecond.provisionalFromMs).toBe(T0 + 30_500);
    expect(perSecond.live).toEqual([
      { t: T0 + 30_000, inFlight: 3 },
      { t: T0 + 31_000, inFlight: 4 },
      { t: T0 + 40_000, inFlight: 5 },
    ]);
    // Ten-second buckets: the bucket holding the cursor keeps its most in flight.
    const coarse = await readKeySeries(s, key, { from: T0, to: T0 + 60_000, maxPoints: 10 });
    expect(coarse.bucketMs).toBe(10_000);
    expect(coarse.live).toEqual([
      { t: T0 + 30_000, inFlight: 4 },
      { t: T0 + 40_000, inFlight: 5 },
    ]);
  });
});
