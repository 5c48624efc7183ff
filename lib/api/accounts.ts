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
