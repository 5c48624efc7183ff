import { auditAccountChange, listAccounts, setPassword, signOutEverywhere } from "@/lib/accounts/accounts";
import { PasswordSetSchema } from "@/lib/api/accounts";
import { ApiError } from "@/lib/http/api-error";
import { withAccess } from "../../../_lib/handle";
import { readJson } from "../../../_lib/read-json";

/** Sets a local (break-glass) password for an account; its sessions end, so the old password's holder is out. */
export const POST = withAccess("admin", async (req, { app, principal }, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  const account = (await listAccounts(app.auth)).find((a) => a.id === id);
  if (!account) throw new ApiError(404, "not_found", "No such account (removed already?)");
  const { password } = PasswordSetSchema.parse(await readJson(req));
  await setPassword(app.auth, id, password);
  if (id !== principal.id) await signOutEverywhere(app.auth, id);
  await auditAccountChange(app.store.audit, principal, "account.password", account.email, null, { password: "set" });
  return { ok: true };
});
