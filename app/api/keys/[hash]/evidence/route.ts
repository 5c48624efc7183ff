import { EvidenceQuerySchema, type KeyEvidence } from "@/lib/api/keys";
import { readEvidence } from "@/lib/series/evidence";
import { withAccess } from "../../../_lib/handle";
import { keyFromParams } from "../../../_lib/key-from-params";
import { queryObject } from "../../../_lib/query";

type Ctx = { params: Promise<{ hash: string }> };

export const GET = withAccess("viewer", async (req, { app, principal }, ctx: Ctx): Promise<KeyEvidence> => {
  const query = EvidenceQuerySchema.parse(queryObject(req));
  const key = await keyFromParams(app, ctx.params, principal);
  const evidence = await readEvidence(app.store.ingest, key.id, query.from, query.to, app.config.INGEST_MAX_REQUEST_S * 1000);
  return { key: { hash: key.hash, alias: key.alias }, ...evidence };
});
