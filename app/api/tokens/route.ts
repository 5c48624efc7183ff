import { auditAccountChange } from "@/lib/accounts/accounts";
import { issueToken } from "@/lib/accounts/api-tokens";
import { TokenCreateSchema } from "@/lib/api/accounts";
import { withAccess } from "../_lib/handle";
import { readJson } from "../_lib/read-json";

export const GET = withAccess("admin", async (_req, { app }) => ({ tokens: await app.store.tokens.list() }));

/** Makes an API token: the answer holds the token, shown this once; only its hash is kept. */
export const POST = withAccess("admin", async (req, { app, principal }) => {
  const input = TokenCreateSchema.parse(await readJson(req));
  const made = await issueToken(app.store.tokens, { ...input, createdBy: principal.label });
  await auditAccountChange(app.store.audit, principal, "token.create", `token ${input.name}`, null, { scope: input.scope, prefix: made.row.prefix });
  return made;
});
