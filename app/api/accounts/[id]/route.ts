import { auditAccountChange, listAccounts, removeAccount, updateAccount } from "@/lib/accounts/accounts";
import { AccountUpdateSchema } from "@/lib/api/accounts";
import { ApiError } from "@/lib/http/api-error";
import type { App } from "@/lib/server/app";
import { withAccess } from "../../_lib/handle";
import { readJson } from "../../_lib/read-json";

type Ctx = { params: Promise<{ id: string }> };

async function accountOf(app: App, params: Ctx["params"]) {
  const { id } = await params;
  const account = (await listAccounts(app.auth)).find((a) => a.id === id);
  if (!account) throw new ApiError(404, "not_found", "No such account (removed already?)");
  return account;
}

/** Changes an account's role and teams. */
export const PATCH = withAccess("admin", async (req, { app, principal }, ctx: Ctx) => {
  const account = await accountOf(app, ctx.params);
  const input = AccountUpdateSchema.parse(await readJson(req));
  await updateAccount(app.auth, account.id, input);
  await auditAccountChange(app.store.audit, principal, "account.update", account.email, { role: account.role, teams: account.teams }, input);
  return { ok: true };
});

/** Removes an account and every session it has. */
export const DELETE = withAccess("admin", async (_req, { app, principal }, ctx: Ctx) => {
  const account = await accountOf(app, ctx.params);
  await removeAccount(app.auth, account.id);
  await auditAccountChange(app.store.audit, principal, "account.remove", account.email, { role: account.role, teams: account.teams }, null);
  return { ok: true };
});
