// 429s by limit type over each store: spend-log rows of every kind of proxy-side 429 normalized,
// committed and swept as the pipeline does; the stored limit types, the per-second series by kind
// and its minute and hour roll-ups, the /metrics counters, the evidence and the key state. Only
// 429s for the key's max_parallel_requests are concurrency rejections. Runs once per dialect.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeRow, type IngestRow } from "../../lib/ingest/normalize";
import type { VirtualKey } from "../../lib/litellm/schemas";
import { overview } from "../../lib/overview/overview";
import { readEvidence } from "../../lib/series/evidence";
import { readKeySeries } from "../../lib/series/key-series";
import { SeriesMaintainer } from "../../lib/series/maintain";
import type { Resolution } from "../../lib/series/repository";
import type { Store } from "../../lib/store/store";
import { storedLimitTypes } from "../support/limit-types";
import { counts, T0 } from "../support/rows";
import { createTestStore, DIALECTS, type TestStore } from "../support/store";

const HASH = "a".repeat(64);
/** A key whose only traffic is 429s of its rpm limit. */
const RPM_ONLY = "b".repeat(64);
const LOOKBACK = 600_000;

const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
/** The v3 limiter's 429 text as the spend row's error_message carries it (docs/litellm-reference.md §2.6, §9.7). */
const v3 = (descriptor: string, value: string, type: string) =>
  `429: Rate limit exceeded for ${descriptor}: ${value}. Limit type: ${type}. Current limit: 2, Remaining: 0. Limit resets at: 2026-11-25 10:01:00 UTC`;
const LEGACY =
  "429: LiteLLM Rate Limit Handler for rate limit type = key. Crossed TPM / RPM / Max Parallel Request Limit. current rpm: 3, rpm limit: 5, " +
  "current tpm: 0, tpm limit: 9223372036854775807, current max_parallel_requests: 2, max_parallel_requests: 2";

/** A raw spend-log row of `hash`, normalized as ingest normalizes it. */
function spendRow(hash: string, id: string, startOff: number, dur: number, error?: { code: string; message: string }): IngestRow {
  const row = normalizeRow({
    request_id: id,
    api_key: hash,
    startTime: iso(T0 + startOff),
    endTime: iso(T0 + startOff + dur),
    status: error ? "failure" : "success",
    model: "gpt-4o",
    metadata: error ? { status: "failure", error_information: { error_code: error.code, error_class: "ProxyRateLimitError", error_message: error.message } } : {},
  });
  if (typeof row === "string") throw new Error(`bad test row ${id}: ${row}`);
  return row;
}
const proxy429 = (hash: string, id: string, startOff: number, message: string) => spendRow(hash, id, startOff, 0, { code: "429", message });

const ROWS = [
  spendRow(HASH, "a", 0, 3_000),
  spendRow(HASH, "b", 500, 1_000),
  // At the very start of a recomputed minute: a 429 counts where it was answered, also at the edge.
  proxy429(HASH, "rpm-0", 0, v3("api_key", HASH, "requests")),
  proxy429(HASH, "mpr-1", 1_200, v3("api_key", HASH, "max_parallel_requests")),
  proxy429(HASH, "rpm-1", 1_300, v3("api_key", HASH, "requests")),
  proxy429(HASH, "rpm-2", 1_700, v3("api_key", HASH, "requests")),
  proxy429(HASH, "tpm-1", 2_100, v3("api_key", HASH, "tokens")),
  proxy429(HASH, "team-rpm", 2_200, v3("team", "team-a", "requests")),
  proxy429(HASH, "legacy", 2_300, LEGACY),
  proxy429(HASH, "unknown", 2_400, "429: Too Many Requests"),
  // Another scope's max_parallel_requests: a 429, but not of this key's concurrency.
  proxy429(HASH, "model-mpr", 2_500, v3("model_per_key", `${HASH}:gpt-4o`, "max_parallel_requests")),
  // A 429 from upstream after the request ran (start != end): an admitted request that failed.
  spendRow(HASH, "upstream-429", 4_000, 800, { code: "429", message: "litellm.RateLimitError: OpenAIException - Rate limit reached" }),
  // The next minute: one rpm 429 and one concurrency rejection.
  proxy429(HASH, "rpm-3", 65_000, v3("api_key", HASH, "requests")),
  proxy429(HASH, "mpr-2", 65_500, v3("api_key", HASH, "max_parallel_requests")),
  ...[10_000, 10_100, 10_200].map((off, i) => proxy429(RPM_ONLY, `only-rpm-${i}`, off, v3("api_key", RPM_ONLY, "requests"))),
];

function listed(hash: string): VirtualKey {
  return { token: hash, key_alias: `k-${hash[0]}`, team_id: "team-a", max_parallel_requests: 2, rpm_limit: 3, tpm_limit: 1_000, blocked: false } as VirtualKey;
}

describe.each(DIALECTS)("429s by limit type on %s", (dialect) => {
  let t: TestStore;
  let s: Store;
  let keyId: number;
  const sec = T0 / 1000;
  /** One aggregate of the key over [fromSec, toSec) of a table, as the store reads it. */
  const total = async (resolution: Resolution, fromSec: number, toSec: number, id = keyId) => {
    const [r] = await s.series.totals([id], resolution, [[fromSec, toSec]]);
    return r && { maxInFlight: r.maxInFlight, ...counts(r.admitted, r.rejected, [r.rejectedRpm, r.rejectedTpm, r.rejectedOther]) };
  };

  beforeAll(async () => {
    t = await createTestStore(dialect);
    s = t.store;
    await s.catalog.apply(
      {
        upserts: [listed(HASH), listed(RPM_ONLY)],
        limitChanges: [HASH, RPM_ONLY].map((hash) => ({ hash, limits: { maxParallelRequests: 2, rpmLimit: 3, tpmLimit: 1_000 } })),
        removed: [],
      },
      T0 - 3_600_000,
    );
    // As a live poll commits: rows and cursor together; stored truth complete to T0 + 2 min.
    expect(await s.ingest.commit("spend-logs", ROWS, { completeBeforeMs: T0 + 120_000, endWatermarkMs: T0 + 120_000 })).toMatchObject({ inserted: ROWS.length });
    await new SeriesMaintainer(s.series, LOOKBACK).drain();
    keyId = (await s.catalog.keyByHash(HASH))!.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("stores each proxy-side 429's limit type; only the key's max_parallel_requests is `rejected`", async () => {
    expect(await storedLimitTypes(t.url, HASH)).toEqual({
      a: { rejected: false, limitType: null },
      b: { rejected: false, limitType: null },
      "upstream-429": { rejected: false, limitType: null },
      "mpr-1": { rejected: true, limitType: "max_parallel_requests" },
      "mpr-2": { rejected: true, limitType: "max_parallel_requests" },
      "rpm-0": { rejected: false, limitType: "rpm" },
      "rpm-1": { rejected: false, limitType: "rpm" },
      "rpm-2": { rejected: false, limitType: "rpm" },
      "rpm-3": { rejected: false, limitType: "rpm" },
      "tpm-1": { rejected: false, limitType: "tpm" },
      "team-rpm": { rejected: false, limitType: "team_rpm" },
      legacy: { rejected: false, limitType: "legacy" },
      unknown: { rejected: false, limitType: "unknown" },
      "model-mpr": { rejected: false, limitType: "model_per_key_max_parallel_requests" },
    });
  });

  it("the sweep reads the 429s by kind, apart from the admitted requests", async () => {
    const input = await s.series.sweepInput(keyId, T0, T0 + 120_000, LOOKBACK);
    expect([...input.starts].sort()).toEqual([T0, T0 + 500, T0 + 4_000]);
    expect(input.rejectedAt.sort()).toEqual([T0 + 1_200, T0 + 65_500]);
    expect(input.limitedAt.rejectedRpm.sort()).toEqual([T0, T0 + 1_300, T0 + 1_700, T0 + 65_000]);
    expect(input.limitedAt.rejectedTpm).toEqual([T0 + 2_100]);
    expect(input.limitedAt.rejectedOther.sort()).toEqual([T0 + 2_200, T0 + 2_300, T0 + 2_400, T0 + 2_500]);
  });

  it("per second: each kind in the second it was answered, never in flight; rejected counts max_parallel_requests only", async () => {
    expect(await total("1s", sec, sec + 1)).toEqual({ maxInFlight: 2, ...counts(2, 0, [1, 0, 0]) });
    expect(await total("1s", sec + 1, sec + 2)).toEqual({ maxInFlight: 2, ...counts(0, 1, [2, 0, 0]) });
    expect(await total("1s", sec + 2, sec + 3)).toEqual({ maxInFlight: 1, ...counts(0, 0, [0, 1, 4]) });
    expect(await total("1s", sec + 3, sec + 4)).toBeUndefined(); // a ended exactly at 3 s: nothing stored
    expect(await total("1s", sec + 4, sec + 5)).toEqual({ maxInFlight: 1, ...counts(1, 0) });
    expect(await total("1s", sec + 65, sec + 66)).toEqual({ maxInFlight: 0, ...counts(0, 1, [1, 0, 0]) });
  });

  it("the minute and hour roll-ups carry every kind", async () => {
    expect(await total("1m", sec, sec + 60)).toEqual({ maxInFlight: 2, ...counts(3, 1, [3, 1, 4]) });
    expect(await total("1m", sec + 60, sec + 120)).toEqual({ maxInFlight: 0, ...counts(0, 1, [1, 0, 0]) });
    expect(await total("1h", sec, sec + 3600)).toEqual({ maxInFlight: 2, ...counts(3, 2, [4, 1, 4]) });
    // The key page's series, from the minutes (2 min buckets over a day) and from the seconds.
    const day = await readKeySeries(s, (await s.catalog.keyByHash(HASH))!, { from: T0 - 86_400_000 + 120_000, to: T0 + 120_000, maxPoints: 1000 });
    expect(day.resolution).toBe("1m");
    expect(day.points.find((p) => p.t === T0)).toMatchObject({ inFlight: 2, ...counts(3, 2, [4, 1, 4]) });
    const fine = await readKeySeries(s, (await s.catalog.keyByHash(HASH))!, { from: T0, to: T0 + 120_000, maxPoints: 1500 });
    expect(fine.points.find((p) => p.t === T0 + 1_000)).toEqual({ t: T0 + 1_000, inFlight: 2, ...counts(0, 1, [2, 0, 0]) });
  });

  it("counts each kind once in the /metrics counters", async () => {
    expect((await s.metrics.counters([keyId])).get(keyId)).toEqual({ ...counts(3, 2, [4, 1, 4]), violationSeconds: 0 });
    // A re-read of the same rows counts nothing again.
    expect(await s.ingest.commit("spend-logs", ROWS, null)).toMatchObject({ inserted: 0 });
    expect((await s.metrics.counters([keyId])).get(keyId)).toEqual({ ...counts(3, 2, [4, 1, 4]), violationSeconds: 0 });
  });

  it("no 429 is evidence of what was in flight", async () => {
    const ev = await readEvidence(s.ingest, keyId, T0 + 1_000, T0 + 3_000, LOOKBACK);
    expect(ev.peak).toBe(2);
    expect(ev.requests.map((r) => r.requestId).sort()).toEqual(["a", "b"]);
  });

  it("a key answered only with rpm 429s has traffic and is not stuck: its max_parallel_requests rejected nothing", async () => {
    const view = await overview(s, T0 - 300_000, T0 + 120_000);
    const rpmOnly = view.rows.find((r) => r.hash === RPM_ONLY)!;
    expect(rpmOnly.state).toMatchObject({ status: "ok", admitted: 0, rejected: 0, peak: 0 });
    expect(await total("1s", sec + 10, sec + 11, (await s.catalog.keyByHash(RPM_ONLY))!.id)).toEqual({ maxInFlight: 0, ...counts(0, 0, [3, 0, 0]) });
  });
});
