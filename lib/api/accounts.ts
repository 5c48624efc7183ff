import { z } from "zod";

// Contracts of the account routes, shared by the forms (browser) and the server.

export const PasswordSchema = z
  .string({ error: "password is required" })
  .min(12, "password: at least 12 characters")
  .max(256, "password: at most 256 characters");

export const EmailSchema = z.email({ error: "email: enter an email address such as ops@example.com" }).max(254);

/** The first-run setup: the first admin's account. */
export const SetupSchema = z.object({
  email: EmailSchema,
  name: z.string().trim().max(100).optional(),
  password: PasswordSchema,
});
export type SetupInput = z.infer<typeof SetupSchema>;

/** Who the browser is signed in as, for the shell. */
export interface Me {
  label: string;
  role: "viewer" | "admin";
  teams: string[] | null;
  kind: "user" | "token";
}

const RoleSchema = z.enum(["viewer", "admin"], { error: 'role: "viewer" or "admin"' });
/** Team ids a viewer is limited to; null: every team. */
const TeamsSchema = z.array(z.string().trim().min(1).max(200)).max(200).nullable();

export const AccountCreateSchema = z
  .object({
    email: EmailSchema,
    name: z.string().trim().max(100).optional(),
    role: RoleSchema,
    teams: TeamsSchema.default(null),
    /** Optional: without one, the account signs in only through single sign-on. */
    password: PasswordSchema.optional(),
  })
  .strict();
export type AccountCreate = z.infer<typeof AccountCreateSchema>;

export const AccountUpdateSchema = z.object({ role: RoleSchema, teams: TeamsSchema }).strict();
export const PasswordSetSchema = z.object({ password: PasswordSchema }).strict();

export const AccountSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  teams: z.array(z.string()).nullable(),
  createdAt: z.string(),
  signIn: z.array(z.enum(["password", "sso"])),
});
export type AccountView = z.infer<typeof AccountSchema>;
export const AccountListSchema = z.object({ accounts: z.array(AccountSchema), me: z.string() });

export const TokenCreateSchema = z
  .object({ name: z.string().trim().min(1, "name: give the token a name (what uses it)").max(100), scope: RoleSchema })
  .strict();

export const TokenSchema = z.object({
  id: z.number(),
  name: z.string(),
  prefix: z.string(),
  scope: RoleSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type TokenView = z.infer<typeof TokenSchema>;
export const TokenListSchema = z.object({ tokens: z.array(TokenSchema) });
/** The answer to a new token: the only time the token itself is shown. */
export const TokenCreatedSchema = z.object({ token: z.string(), row: TokenSchema });
