import { EvidenceQuerySchema } from "@/lib/series/key-series";
import { handle } from "../../../_lib/handle";
import { keyFromParams } from "../../../_lib/key-queries";
import { queryObject } from "../../../_lib/query";

export const GET = handle(async (req: Request, ctx: { params: Promise<{ hash: string }> }) => {
  const query = EvidenceQuerySchema.parse(queryObject(req));
  const { q, key } = await keyFromParams(ctx.params);
  return { key: { hash: key.hash, alias: key.alias }, ...q.evidence(key.id, query.from, query.to) };
});
