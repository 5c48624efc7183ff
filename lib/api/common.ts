import { z } from "zod";

/** An instant as epoch ms, or an ISO-8601 date with offset. */
export const EpochMsSchema = z.union([
  z.coerce.number().int().min(0),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

/** A query with a time range `from`..`to` (epoch ms or ISO-8601): `to` after `from`, at most `maxDays` long. */
export function rangeQuery<S extends z.ZodRawShape>(maxDays: number, extra: S) {
  const schema = z.object({ from: EpochMsSchema, to: EpochMsSchema }).extend(extra);
  const range = (q: unknown) => q as { from: number; to: number };
  return schema
    .refine((q) => range(q).to > range(q).from, { message: "to must be after from", path: ["to"] })
    .refine((q) => range(q).to - range(q).from <= maxDays * 86_400_000, {
      message: `a range is at most ${maxDays} day${maxDays === 1 ? "" : "s"}`,
      path: ["to"],
    });
}

/** Every error the API answers with: the browser shows `message` as is. */
export const ApiErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/** A date as it travels in JSON. */
export const IsoDateSchema = z.iso.datetime({ offset: true });
