import { z } from "zod";

// Response shapes of the LiteLLM proxy admin API (docs/litellm-reference.md §3, §9.6).
// Unknown fields are dropped; fields that old proxies lack are optional.

const limit = z
  .union([z.number(), z.string().regex(/^-?\d+$/)])
  .transform((v) => Number(v))
  .nullable()
  .optional()
  .transform((v) => v ?? null);

/** One entry of `/key/list?return_full_object=true` (a `UserAPIKeyAuth`). */
export const VirtualKeySchema = z.object({
  token: z.string().min(1),
  key_alias: z.string().nullish().transform((v) => v ?? null),
  key_name: z.string().nullish().transform((v) => v ?? null),
  team_id: z.string().nullish().transform((v) => v ?? null),
  user_id: z.string().nullish().transform((v) => v ?? null),
  max_parallel_requests: limit,
  rpm_limit: limit,
  tpm_limit: limit,
  blocked: z.boolean().nullish().transform((v) => v ?? false),
  metadata: z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? {}),
  spend: z.number().nullish().transform((v) => v ?? 0),
  /** Models the key may call; empty: every model the proxy serves. */
  models: z.array(z.string()).nullish().transform((v) => v ?? []),
});
export type VirtualKey = z.output<typeof VirtualKeySchema>;

/** `POST /key/generate`'s answer: the raw key (the only time it is shown) and its hash. */
export const GeneratedKeySchema = z.object({
  key: z.string().startsWith("sk-"),
  token_id: z.string().nullish().transform((v) => v ?? null),
});
export type GeneratedKey = z.output<typeof GeneratedKeySchema>;

/** What Inflight sends to `/key/generate` (a subset of GenerateKeyRequest, docs/litellm-reference.md §3). */
export interface GenerateKeyRequest {
  key_alias: string;
  duration: string;
  models: string[];
  max_parallel_requests: number | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  metadata: Record<string, unknown>;
  team_id?: string;
}

export const KeyListPageSchema = z.object({
  keys: z.array(VirtualKeySchema),
  total_count: z.number().int().nullish().transform((v) => v ?? null),
  current_page: z.number().int().nullish().transform((v) => v ?? null),
  total_pages: z.number().int().nullish().transform((v) => v ?? null),
});
export type KeyListPage = z.output<typeof KeyListPageSchema>;

/** LiteLLM's error body: `{"error":{"message","type","param","code"}}`; older routes answer `{"detail": ...}`. */
export const ErrorBodySchema = z.union([
  z.object({
    error: z.object({
      message: z.unknown(),
      type: z.string().nullish(),
      code: z.union([z.string(), z.number()]).nullish(),
    }),
  }),
  z.object({ detail: z.unknown() }),
]);

/** The envelope of `/spend/logs/ui` and `/spend/logs/v2` (docs/litellm-reference.md §9.2). Rows are checked one by one by the ingest. */
export const SpendLogPageSchema = z.object({
  data: z.array(z.unknown()),
  total: z.number().nullish(),
  page: z.number().nullish(),
  page_size: z.number().nullish(),
  total_pages: z.number().nullish(),
  total_is_capped: z.boolean().nullish(),
});
export type SpendLogPage = z.output<typeof SpendLogPageSchema>;

/** `/spend/logs` with `summarize=false` answers a bare array of rows. */
export const SpendLogRowsSchema = z.array(z.unknown());

/** `GET /key/info?key=<hash>`: the key's row without its token (docs/litellm-reference.md §3). */
export const KeyInfoSchema = z.object({
  info: VirtualKeySchema.omit({ token: true }),
});
export type KeyInfo = z.output<typeof KeyInfoSchema>["info"];

/** The limits `/key/update` accepts: a whole number, or null for "no limit" (LiteLLM writes an explicit null). */
export interface KeyLimitsUpdate {
  max_parallel_requests?: number | null;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
  /** The whole object: LiteLLM replaces the stored metadata with what is sent. */
  metadata?: Record<string, unknown>;
}

/** `GET /coordination_redis/settings` (v1.93+): `source` is where the limiter's Redis comes from, null when each worker counts alone. */
export const CoordinationSettingsSchema = z.looseObject({ source: z.string().nullish() });
