import { LimitsEditSchema, type KeyLimitsView } from "@/lib/api/limits";
import { ApiError } from "@/lib/http/api-error";
import { keyLimitsView } from "@/lib/limits/view";
import { updateKeyLimits } from "@/lib/limits/update-key-limits";
import { withAccess } from "../../../_lib/handle";
import { keyFromParams } from "../../../_lib/key-from-params";
import { readJson } from "../../../_lib/read-json";

type Ctx = { params: Promise<{ hash: string }> };

/** The key's live limits and last 24 h of minute peaks: what the edit form shows. */
export const GET = withAccess("viewer", async (_req, { app, principal }, ctx: Ctx): Promise<KeyLimitsView> => {
  const key = await keyFromParams(app, ctx.params, principal);
  return keyLimitsView({ store: app.store, litellm: app.litellm, writesDisabled: app.writesDisabled }, principal, key);
});

/** Changes a key's limits on LiteLLM (admins only), audited whatever the outcome. */
export const POST = withAccess("admin", async (req, { app, principal }, ctx: Ctx) => {
  const key = await keyFromParams(app, ctx.params, principal);
  const edit = LimitsEditSchema.parse(await readJson(req));
  if (app.writesDisabled || !app.litellm) throw new ApiError(409, "read_only", app.writesDisabled ?? "No LiteLLM proxy is configured");
  return updateKeyLimits({ store: app.store, litellm: app.litellm }, principal, key, edit);
});
