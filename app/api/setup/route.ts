import { auditAccountChange, countAdmins, createAccount } from "@/lib/accounts/accounts";
import { SetupSchema } from "@/lib/api/accounts";
import { checkOrigin } from "@/lib/accounts/principal";
import { ApiError } from "@/lib/http/api-error";
import { app } from "@/lib/server/app";
import { handle } from "../_lib/handle";
import { readJson } from "../_lib/read-json";

/**
 * The first-run setup: makes the first admin, only while there is no admin. The first request to
 * claim the setup wins (a row in the store), so two browsers racing make one admin; a claim whose
 * account could not be made is given back.
 */
export const POST = handle(async (req: Request) => {
  const a = await app();
  checkOrigin(req.headers, a.trustedOrigins);
  const input = SetupSchema.parse(await readJson(req));
  const taken = () => new ApiError(409, "conflict", "Inflight is set up already: sign in instead");
  if ((await countAdmins(a.auth)) > 0) throw taken();
  const claim = crypto.randomUUID();
  if ((await a.store.settings.claim("setup", claim)) !== claim) throw taken();
  const account = await createAccount(a.auth, { ...input, role: "admin", teams: null }).catch(async (e) => {
    await a.store.settings.release("setup", claim);
    throw e;
  });
  await auditAccountChange(a.store.audit, null, "account.create", account.email, null, { role: "admin", source: "first-run setup" });
  return { email: account.email };
});
