import { auditAccountChange, createAccount, listAccounts } from "@/lib/accounts/accounts";
import { AccountCreateSchema } from "@/lib/api/accounts";
import { withAccess } from "../_lib/handle";
import { readJson } from "../_lib/read-json";

export const GET = withAccess("admin", async (_req, { app, principal }) => ({ accounts: await listAccounts(app.auth), me: principal.id }));

/** Invites an account: its role and teams, and a password unless it signs in only through SSO. */
export const POST = withAccess("admin", async (req, { app, principal }) => {
  const input = AccountCreateSchema.parse(await readJson(req));
  const account = await createAccount(app.auth, input);
  await auditAccountChange(app.store.audit, principal, "account.create", account.email, null, {
    role: account.role,
    teams: account.teams,
    signIn: input.password ? "password" : "sso only",
  });
  return account;
});
