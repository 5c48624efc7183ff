// Requests longer than the configured longest (INGEST_MAX_REQUEST_S) are stored and counted; a later
// recompute of any range they cover must keep them in, however far back they started. Runs once per
// dialect on a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeriesMaintainer } from "../../lib/series/maintain";
import type { Store } from "../../lib/store/store";
import { row, T0 } from "../support/rows";
import { createTestStore, DIALECTS, type TestStore } from "../support/store";

/** The configured longest request: 15 minutes, as INGEST_MAX_REQUEST_S defaults to. */
const MAX_REQUEST_MS = 900_000;
const HOUR = 3_600_000;

describe.each(DIALECTS)("long requests on %s", (dialect) => {
  let t: TestStore;
  let s: Store;
  let maintainer: SeriesMaintainer;
  const HASH = "e".repeat(64);

  const peak = async (offMs: number) => {
    const id = (await s.catalog.keyByHash(HASH))!.id;
    const sec = (T0 + offMs) / 1000;
    const [b] = await s.series.totals([id], "1s", [[sec, sec + 1]]);
    return b?.maxInFlight ?? 0;
  };

  beforeAll(async () => {
    t = await createTestStore(dialect);
    s = t.store;
    maintainer = new SeriesMaintainer(s.series, MAX_REQUEST_MS);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("a recompute two hours into a three-hour request still counts it", async () => {
    await s.ingest.commit("t", [row(HASH, "long", 0, 3 * HOUR)], null);
    await maintainer.drain();
    expect(await peak(2 * HOUR)).toBe(1);

    // A short request two hours in marks only its own range for recompute, which starts long after
    // the long request did (far more than MAX_REQUEST_MS): the long one must still be counted there.
    await s.ingest.commit("t", [row(HASH, "short", 2 * HOUR, 10_000)], null);
    await maintainer.drain();
    expect(await peak(2 * HOUR)).toBe(2);
    expect(await peak(2 * HOUR + 5_000)).toBe(2);
    expect(await peak(2 * HOUR + 20_000)).toBe(1);
  });

  it("the evidence behind a peak lists the long request too", async () => {
    const id = (await s.catalog.keyByHash(HASH))!.id;
    const inFlight = await s.ingest.admittedOverlapping(id, T0 + 2 * HOUR, T0 + 2 * HOUR + 1000, MAX_REQUEST_MS);
    expect(inFlight.map((r) => r.requestId)).toEqual(["long", "short"]);
  });
});
