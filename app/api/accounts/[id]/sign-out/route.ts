import { auditAccountChange, listAccounts, signOutEverywhere } from "@/lib/accounts/accounts";
import { ApiError } from "@/lib/http/api-error";
import { withAccess } from "../../../_lib/handle";

/** Ends every session of an account (a lost laptop, someone leaving). */
export const POST = withAccess("admin", async (_req, { app, principal }, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  const account = (await listAccounts(app.auth)).find((a) => a.id === id);
  if (!account) throw new ApiError(404, "not_found", "No such account (removed already?)");
  await signOutEverywhere(app.auth, id);
  await auditAccountChange(app.store.audit, principal, "account.sign-out-everywhere", account.email, null, { sessions: "ended" });
  return { ok: true };
});
