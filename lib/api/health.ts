import { z } from "zod";
import { IsoDateSchema } from "./common";

// Contract of `GET /api/health`: the outside services and the runner's work, as JSON (dates as ISO strings).

const date = IsoDateSchema.nullable();

export const ServiceStateSchema = z.object({
  service: z.enum(["litellm", "redis"]),
  ok: z.boolean(),
  checkedAt: IsoDateSchema,
  lastOkAt: date,
  latencyMs: z.number().nullable(),
  error: z.string().nullable(),
  okSince: date,
  downSince: date,
});
export type ServiceStateView = z.infer<typeof ServiceStateSchema>;

export const JobStatusSchema = z.object({
  name: z.string(),
  holder: z.string().nullable(),
  lastRunAt: date,
  lastOkAt: date,
  lastError: z.string().nullable(),
  failingSince: date,
  stats: z.record(z.string(), z.unknown()),
});

export const PipelineStatusSchema = z.object({
  state: z.enum(["ok", "catching-up", "failing", "idle", "stale"]),
  holder: z.string().nullable(),
  lastPollAt: date,
  lagMs: z.number().nullable(),
  rowsPerS: z.number().nullable(),
  error: z.string().nullable(),
  failingSince: date,
  skippedRows: z.record(z.string(), z.number()),
  flushLagMs: z.number().nullable(),
  lateRows: z.object({ rows: z.number(), maxDelayMs: z.number(), lastAt: date, byReconcile: z.number() }),
  reconcile: z
    .object({
      at: IsoDateSchema,
      windowsChecked: z.number(),
      windowsRead: z.number(),
      lateRows: z.number(),
      complete: z.boolean(),
      skipped: z.string().nullable(),
    })
    .nullable(),
  limiter: z.object({ state: z.string(), message: z.string() }).nullable(),
  limiterSampleError: z.string().nullable(),
  tracker: z
    .object({
      state: z.enum(["live", "quiet", "never"]),
      lastSeenAt: date,
      since: date,
      lostEnds: z.number(),
      dropped: z.number(),
      errorLogs: z.enum(["missing", "present", "unknown"]),
      agreement: z
        .object({
          compared: z.number(),
          agreed: z.number(),
          rate: z.number().nullable(),
          startDiffP95Ms: z.number().nullable(),
          endDiffP95Ms: z.number().nullable(),
          unlogged: z.number(),
          untracked: z.number(),
          windowMs: z.number(),
          agreeMs: z.number(),
          concern: z.string().nullable(),
        })
        .nullable(),
    })
    .nullable(),
  jobs: z.array(JobStatusSchema),
});
export type PipelineStatusView = z.infer<typeof PipelineStatusSchema>;

export const HealthSchema = z.object({ services: z.array(ServiceStateSchema), pipeline: PipelineStatusSchema });
export type HealthView = z.infer<typeof HealthSchema>;
