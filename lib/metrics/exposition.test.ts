// /metrics as Prometheus reads it: the text exposition() makes from a snapshot of a real store,
// rows committed through the store's ingest repository as the runner commits them. Once per dialect.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { proxy429, row, T0 } from "../../tests/support/rows";
import { createTestStore, DIALECTS, type TestStore } from "../../tests/support/store";
import { summarisePipeline } from "../health/pipeline";
import { SPEND_LOG_SOURCE } from "../ingest/ingest";
import { BELIEF_FRESH_MS } from "../key-state/read";
import type { VirtualKey } from "../litellm/schemas";
import { SeriesMaintainer } from "../series/maintain";
import type { Store } from "../store/store";
import { exposition } from "./exposition";
import { metricsSnapshot } from "./snapshot";

const A = "a".repeat(64);
const B = "b".repeat(64);
const C = "c".repeat(64);
/** An alias with the characters the text format must escape (a backslash and quotes). */
const ALIAS_A = 'ops\\eu "prod"';

/** The watermark ingest reached (so the last complete second is T0 + 59 s) and the scrape instant. */
const WATERMARK = T0 + 60_000;
const NOW = T0 + 90_000;

/** The families this file checks, with their TYPE (the ingest pipeline's other families are checked where they are made). */
const KEY_FAMILIES: Record<string, string> = {
  inflight_key_in_flight: "gauge",
  inflight_key_max_parallel_requests: "gauge",
  inflight_key_litellm_believed_in_flight: "gauge",
  inflight_key_litellm_raw_counter: "gauge",
  inflight_key_admitted_requests_total: "counter",
  inflight_key_rejected_requests_total: "counter",
  inflight_key_limited_requests_total: "counter",
  inflight_key_violation_seconds_total: "counter",
  inflight_ingest_rows_skipped_total: "counter",
};
const LAG = "inflight_ingest_lag_seconds";

/**
 * The text format read back, for the families in `families`: each one's TYPE, those with a HELP
 * line, and their sample lines (sorted). `all` lists every family name the text declares.
 */
function parse(text: string, families: Record<string, string>) {
  const types: Record<string, string> = {};
  const helped: string[] = [];
  const samples: string[] = [];
  const all: string[] = [];
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    const help = /^# HELP (\S+) \S/.exec(line);
    const sample = /^([a-z_]+)[{ ]/.exec(line);
    if (type) all.push(type[1]);
    if (type && type[1] in families) types[type[1]] = type[2];
    else if (help && help[1] in families) helped.push(help[1]);
    else if (sample && sample[1] in families) samples.push(line);
  }
  return { types, helped: helped.sort(), samples: samples.sort(), all };
}

describe.each(DIALECTS)("/metrics exposition over a %s store", (dialect) => {
  let t: TestStore;
  let s: Store;
  const scrape = async () => exposition(await metricsSnapshot(s, NOW), summarisePipeline(await s.jobs.all(), new Date(NOW)));

  // A fresh store per test: "before ingest" must not depend on running before the test that ingests.
  beforeEach(async () => {
    t = await createTestStore(dialect);
    s = t.store;
    const key = (token: string, alias: string | null, team: string | null, mpr: number | null) =>
      ({ token, key_alias: alias, team_id: team, max_parallel_requests: mpr, rpm_limit: null, tpm_limit: null, blocked: false }) as VirtualKey;
    const a = key(A, ALIAS_A, "team-1", 4);
    const b = key(B, null, null, null); // no max_parallel_requests: no limit sample
    await s.catalog.apply(
      {
        upserts: [a, b],
        limitChanges: [
          { hash: A, limits: { maxParallelRequests: 4, rpmLimit: null, tpmLimit: null } },
          { hash: B, limits: { maxParallelRequests: null, rpmLimit: null, tpmLimit: null } },
        ],
        removed: [],
      },
      T0 - 3_600_000,
    );
  });
  afterEach(async () => {
    await t?.close();
  });

  it("before ingest has a cursor: no lag sample at all (not 0), in-flight 0, no skipped rows, no 429s of other limits", async () => {
    const { text, contentType } = await scrape();
    expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    const got = parse(text, { ...KEY_FAMILIES, [LAG]: "gauge" });
    expect(got.types).toEqual(KEY_FAMILIES);
    expect(got.helped).toEqual(Object.keys(KEY_FAMILIES).sort());
    expect(got.all).not.toContain(LAG);
    const a = `hashed_api_key="${A}",api_key_alias="ops\\\\eu \\"prod\\"",team="team-1"`;
    const b = `hashed_api_key="${B}",api_key_alias="",team=""`;
    expect(got.samples).toEqual(
      [
        `inflight_key_in_flight{${a}} 0`,
        `inflight_key_in_flight{${b}} 0`,
        `inflight_key_max_parallel_requests{${a}} 4`,
        ...[a, b].flatMap((l) => [
          `inflight_key_admitted_requests_total{${l}} 0`,
          `inflight_key_rejected_requests_total{${l}} 0`,
          `inflight_key_violation_seconds_total{${l}} 0`,
        ]),
      ].sort(),
    );
    expect(text).not.toContain(LAG);
  });

  it("after ingest: every family, exact labels and values; no limit sample for a key without one; lag; skipped rows by reason", async () => {
    // Committed as the runner commits a live poll: rows and cursor together. A: two in flight in
    // the second before the watermark, one earlier, one 429 for max_parallel_requests, one for its
    // rpm and one for its team's rpm. B: one long request, one 429 for its tpm. C: unknown to the
    // catalog (a placeholder key, no alias or team), finished long before.
    const rows = [
      row(A, "a1", 59_000, 800),
      row(A, "a2", 59_200, 700),
      row(A, "a3", 10_000, 1_000),
      row(A, "a-429", 59_500, 0, true),
      proxy429(A, "a-rpm", 59_600, "rpm"),
      proxy429(A, "a-team", 59_700, "team_rpm"),
      row(B, "b1", 50_000, 20_000),
      proxy429(B, "b-tpm", 51_000, "tpm"),
      row(C, "c1", 1_000, 1_000),
    ];
    const res = await s.ingest.commit(SPEND_LOG_SOURCE, rows, { completeBeforeMs: WATERMARK - 900_000, endWatermarkMs: WATERMARK });
    expect(res).toEqual({ inserted: 9, newUnknownKeys: [C] });
    await new SeriesMaintainer(s.series, 900_000).drain();
    const ids = new Map((await s.catalog.listedKeys()).map((k) => [k.hash, k.id]));
    await s.metrics.countViolationSeconds(Array.from({ length: 7 }, (_, i) => ({ keyId: ids.get(A)!, sec: T0 / 1000 - 100 + i })), T0 / 1000);
    // A fresh belief for A; B's is older than BELIEF_FRESH_MS, so it is not reported.
    const sample = (hash: string, atMs: number, believed: number, raw: number) => ({
      keyId: ids.get(hash)!,
      atMs,
      era: "windowed" as const,
      believedInFlight: believed,
      rawCounter: raw,
      windowStartS: Math.floor(atMs / 1000),
      requests: 1,
      tokens: 1,
    });
    await s.samples.insert([sample(A, NOW - 1_000, 2, -1.5), sample(B, NOW - BELIEF_FRESH_MS - 1, 5, 5)]);
    // The runner's ingest job reports the rows it skipped, by reason, in its stats.
    await s.jobs.recordOk("ingest", "runner-1", { mode: "live", lagMs: 30_000, totals: { problems: { missing_key: 2, bad_end_time: 1 } } }, new Date(NOW));

    const got = parse((await scrape()).text, { ...KEY_FAMILIES, [LAG]: "gauge" });
    expect(got.types).toEqual({ ...KEY_FAMILIES, [LAG]: "gauge" });
    expect(got.helped).toEqual([...Object.keys(KEY_FAMILIES), LAG].sort());
    const a = `hashed_api_key="${A}",api_key_alias="ops\\\\eu \\"prod\\"",team="team-1"`;
    const b = `hashed_api_key="${B}",api_key_alias="",team=""`;
    const c = `hashed_api_key="${C}",api_key_alias="",team=""`;
    expect(got.samples).toEqual(
      [
        `inflight_key_in_flight{${a}} 2`,
        `inflight_key_in_flight{${b}} 1`,
        `inflight_key_in_flight{${c}} 0`,
        `inflight_key_max_parallel_requests{${a}} 4`,
        `inflight_key_litellm_believed_in_flight{${a}} 2`,
        `inflight_key_litellm_raw_counter{${a}} -1.5`,
        `inflight_key_admitted_requests_total{${a}} 3`,
        `inflight_key_admitted_requests_total{${b}} 1`,
        `inflight_key_admitted_requests_total{${c}} 1`,
        `inflight_key_rejected_requests_total{${a}} 1`,
        `inflight_key_rejected_requests_total{${b}} 0`,
        `inflight_key_rejected_requests_total{${c}} 0`,
        // The other 429s by limit_type, only for the kinds a key met: never counted as rejected.
        `inflight_key_limited_requests_total{${a},limit_type="rpm"} 1`,
        `inflight_key_limited_requests_total{${a},limit_type="other"} 1`,
        `inflight_key_limited_requests_total{${b},limit_type="tpm"} 1`,
        `inflight_key_violation_seconds_total{${a}} 7`,
        `inflight_key_violation_seconds_total{${b}} 0`,
        `inflight_key_violation_seconds_total{${c}} 0`,
        `inflight_ingest_rows_skipped_total{reason="missing_key"} 2`,
        `inflight_ingest_rows_skipped_total{reason="bad_end_time"} 1`,
        // Now minus the watermark, in seconds.
        "inflight_ingest_lag_seconds 30",
      ].sort(),
    );
  });
});
