import { auditAccountChange } from "@/lib/accounts/accounts";
import { ApiError } from "@/lib/http/api-error";
import { withAccess } from "../../_lib/handle";

/** Revokes a token at once: its next request gets a 401. */
export const DELETE = withAccess("admin", async (_req, { app, principal }, ctx: { params: Promise<{ id: string }> }) => {
  const id = Number((await ctx.params).id);
  if (!Number.isInteger(id) || id <= 0) throw new ApiError(422, "invalid_input", "id: a token's number");
  const token = (await app.store.tokens.list()).find((t) => t.id === id);
  if (!token || !(await app.store.tokens.revoke(id, new Date()))) throw new ApiError(404, "not_found", "No live token with this id (revoked already?)");
  await auditAccountChange(app.store.audit, principal, "token.revoke", `token ${token.name}`, { scope: token.scope }, null);
  return { ok: true };
});
