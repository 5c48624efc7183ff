import { describe, expect, expectTypeOf, it } from "vitest";
import { summarisePipeline, type PipelineStatus } from "../health/pipeline";
import { advance, type ServiceState } from "../health/status";
import { HealthSchema, type HealthView } from "./health";
import type { Jsonified } from "./json";

// The health route returns domain objects with Dates; its contract describes them as JSON. Both
// must agree, at compile time and on a real answer.
describe("contracts", () => {
  it("the health answer, as JSON, is what its contract describes", () => {
    expectTypeOf<Jsonified<{ services: ServiceState[]; pipeline: PipelineStatus }>>().toExtend<HealthView>();
    const t = new Date(Date.UTC(2026, 11, 2, 12));
    const services = [advance(null, "litellm", { ok: false, latencyMs: null, error: "ECONNREFUSED" }, t), advance(null, "redis", { ok: true, latencyMs: 2, error: null }, t)];
    const pipeline = summarisePipeline(
      [
        { name: "ingest", holder: "h", lastRunAt: t, lastOkAt: t, lastError: null, failingSince: null, stats: { mode: "live", lagMs: 35_000, rowsPerS: 12, totals: { problems: { missing_key: 2 } } } },
        { name: "limiter-discovery", holder: "h", lastRunAt: t, lastOkAt: t, lastError: null, failingSince: null, stats: { state: "ok", message: "Redis holds 3 limiter keys" } },
      ],
      t,
    );
    const wire: unknown = JSON.parse(JSON.stringify({ services, pipeline }));
    const parsed = HealthSchema.parse(wire);
    expect(parsed.pipeline).toMatchObject({ state: "ok", lagMs: 35_000, skippedRows: { missing_key: 2 }, limiter: { state: "ok" } });
    expect(parsed.services[0]).toMatchObject({ service: "litellm", ok: false, downSince: t.toISOString() });
  });
});
