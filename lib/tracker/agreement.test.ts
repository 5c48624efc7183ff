import { describe, expect, it } from "vitest";
import { AGREE_MS, agreementConcern, IntervalAgreement, MATCH_GRACE_MS, type LoggedInterval } from "./agreement";
import type { TrackedInterval } from "./live-state";

const H = "a".repeat(64);
const T0 = Date.UTC(2026, 11, 3, 12);
const tracked = (callId: string, startMs: number, endMs: number, outcome: TrackedInterval["outcome"] = "ok"): TrackedInterval => ({ hash: H, callId, startMs, endMs, outcome });
const logged = (callId: string, startMs: number, endMs: number): LoggedInterval => ({ hash: H, callId, startMs, endMs });
const settle = (a: IntervalAgreement, at: number, o: { settledEndMs?: number | null; aliveSince?: number | null; open?: string[] } = {}) =>
  a.settle({ settledEndMs: o.settledEndMs === undefined ? at : o.settledEndMs, trackerReadToMs: at, trackerAliveSinceMs: o.aliveSince === undefined ? T0 : o.aliveSince, isOpen: (_h, c) => (o.open ?? []).includes(c) }, at);

describe("IntervalAgreement: the tracker against spend logs, request by request", () => {
  it("pairs by key and call id whichever comes first, and agrees within AGREE_MS at both ends", () => {
    const a = new IntervalAgreement(T0);
    a.addTracked([tracked("c1", T0 + 1000, T0 + 5000), tracked("c2", T0 + 2000, T0 + 3000)], T0 + 6000);
    a.addLogged([logged("c1", T0 + 990, T0 + 5020), logged("c2", T0 + 2000, T0 + 3000 + AGREE_MS + 1)], T0 + 40_000);
    // A row first, its tracked interval after (a slow tracker read).
    a.addLogged([logged("c3", T0 + 3000, T0 + 4000)], T0 + 40_000);
    a.addTracked([tracked("c3", T0 + 3000, T0 + 4000)], T0 + 40_500);
    const r = a.report(T0 + 41_000);
    expect(r).toMatchObject({ compared: 3, agreed: 2, unlogged: 0, untracked: 0 });
    expect(r.rate).toBeCloseTo(2 / 3);
    expect(r.endDiffP95Ms).toBe(AGREE_MS + 1);
    expect(r.startDiffP95Ms).toBe(10);
    expect(a.pending()).toEqual({ tracked: 0, logged: 0 });
  });

  it("a row read again (overlapping polls, the reconcile pass) is compared once", () => {
    const a = new IntervalAgreement(T0);
    a.addTracked([tracked("c1", T0 + 1000, T0 + 2000)], T0 + 3000);
    for (let i = 0; i < 3; i++) a.addLogged([logged("c1", T0 + 1000, T0 + 2000)], T0 + 40_000 + i);
    settle(a, T0 + 3_600_000);
    expect(a.report(T0 + 3_600_000)).toMatchObject({ compared: 1, agreed: 1, untracked: 0, unlogged: 0 });
  });

  it("a tracked request whose row never comes is unlogged once spend logs settled past its end (and the grace)", () => {
    const a = new IntervalAgreement(T0);
    a.addTracked([tracked("gone", T0 + 1000, T0 + 2000)], T0 + 3000);
    settle(a, T0 + 10_000, { settledEndMs: T0 + 2000 + MATCH_GRACE_MS - 1 });
    expect(a.report(T0 + 10_000).unlogged).toBe(0);
    settle(a, T0 + 40_000, { settledEndMs: T0 + 2000 + MATCH_GRACE_MS + 1 });
    expect(a.report(T0 + 40_000)).toMatchObject({ unlogged: 1, compared: 0, rate: null });
    // Spend logs not read yet (no cursor): nothing can be called unlogged.
    const b = new IntervalAgreement(T0);
    b.addTracked([tracked("x", T0, T0 + 1)], T0 + 2);
    settle(b, T0 + 3_600_000, { settledEndMs: null });
    expect(b.pending().tracked).toBe(1);
  });

  it("a row the tracker never saw is untracked only while a writer was alive from before it started, and not while the tracker holds it open", () => {
    const a = new IntervalAgreement(T0);
    a.addLogged([logged("open", T0 + 1000, T0 + 2000), logged("miss", T0 + 1000, T0 + 2000), logged("early", T0 + 1000, T0 + 2000)], T0 + 40_000);
    settle(a, T0 + 100_000, { open: ["open"], aliveSince: T0 });
    expect(a.report(T0 + 100_000).untracked).toBe(2);
    expect(a.pending().logged).toBe(1);
    // A writer that started after the request: not the tracker's miss.
    const b = new IntervalAgreement(T0);
    b.addLogged([logged("before-writer", T0 + 1000, T0 + 2000)], T0 + 40_000);
    settle(b, T0 + 100_000, { aliveSince: T0 + 1500 });
    expect(b.report(T0 + 100_000).untracked).toBe(0);
    expect(b.pending().logged).toBe(0);
  });

  it("requests started before the comparison began, and lost ends, are never counted", () => {
    const a = new IntervalAgreement(T0);
    a.addLogged([logged("history", T0 - 5000, T0 - 4000)], T0 + 1000);
    // Open when the comparison began (read from the open sets), ended after: its row is history too.
    a.addTracked([tracked("running", T0 - 2000, T0 + 3000)], T0 + 3500);
    a.addLogged([logged("running", T0 - 2000, T0 + 3000)], T0 + 40_000);
    a.addLogged([logged("lost", T0 + 1000, T0 + 2000)], T0 + 40_000);
    a.addTracked([tracked("lost", T0 + 1000, T0 + 1_801_000, "lost")], T0 + 1_801_000);
    settle(a, T0 + 1_900_000);
    expect(a.report(T0 + 1_900_000)).toMatchObject({ compared: 0, untracked: 0, unlogged: 0 });
  });

  it("reports the last hour only", () => {
    const a = new IntervalAgreement(T0);
    a.addTracked([tracked("old", T0, T0 + 1000)], T0 + 1000);
    a.addLogged([logged("old", T0, T0 + 1000)], T0 + 40_000);
    expect(a.report(T0 + 60_000).compared).toBe(1);
    expect(a.report(T0 + 3 * 3_600_000).compared).toBe(0);
  });
});

describe("agreementConcern", () => {
  const report = (o: Partial<import("./agreement").AgreementReport>) => ({
    compared: 100, agreed: 100, rate: 1, startDiffP95Ms: 5, endDiffP95Ms: 5, unlogged: 0, untracked: 0, windowMs: 3_600_000, agreeMs: 1000, ...o,
  });
  it("says nothing when they agree, or when too little was seen to say", () => {
    expect(agreementConcern(report({}))).toBeNull();
    expect(agreementConcern(report({ compared: 10, agreed: 5, rate: 0.5 }))).toBeNull();
    expect(agreementConcern(report({ untracked: 1 }))).toBeNull();
  });
  it("names requests seen on one side only, then intervals that disagree", () => {
    expect(agreementConcern(report({ untracked: 5 }))).toMatch(/5 logged requests the tracker never saw/);
    expect(agreementConcern(report({ unlogged: 4 }))).toMatch(/4 tracked requests have no spend-log row/);
    expect(agreementConcern(report({ agreed: 90, rate: 0.9 }))).toMatch(/only 90\.0% of requests agree within 1 s/);
  });
});
