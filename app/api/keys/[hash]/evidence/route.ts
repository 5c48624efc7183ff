import { EvidenceQuerySchema, type KeyEvidence } from "@/lib/api/keys";
import { readEvidence } from "@/lib/series/evidence";
import { app } from "@/lib/server/app";
import { handle } from "../../../_lib/handle";
import { keyFromParams } from "../../../_lib/key-from-params";
import { queryObject } from "../../../_lib/query";

export const GET = handle(async (req: Request, ctx: { params: Promise<{ hash: string }> }): Promise<KeyEvidence> => {
  const query = EvidenceQuerySchema.parse(queryObject(req));
  const a = await app();
  const key = await keyFromParams(a, ctx.params);
  const evidence = await readEvidence(a.store.ingest, key.id, query.from, query.to, a.config.INGEST_MAX_REQUEST_S * 1000);
  return { key: { hash: key.hash, alias: key.alias }, ...evidence };
});
