// Account management: the verbs an admin (or the first-run setup) uses, over better-auth's own
// store adapter so passwords are hashed and sessions handled by the library. The caller has
// checked the role (lib/accounts/principal.ts); each change lands in the audit trail.
import crypto from "node:crypto";
import type { AuditRepository } from "../audit/repository";
import { ApiError } from "../http/api-error";
import type { Auth } from "./auth";
import { parseTeams, serializeTeams, type Principal, type Role } from "./roles";

export interface Account {
  id: string;
  email: string;
  name: string;
  role: Role;
  teams: string[] | null;
  createdAt: Date;
  /** How it signs in: "password", "sso" or both. */
  signIn: ("password" | "sso")[];
}

type Ctx = Awaited<Auth["$context"]>;
type UserRow = { id: string; email: string; name: string; role?: string | null; teams?: string | null; createdAt: Date };

async function ctxOf(auth: Auth): Promise<Ctx> {
  return auth.$context;
}

/**
 * Admin accounts: none means Inflight is not set up yet (the first-run page makes one). Accounts
 * without the role, such as one made by a refused single sign-on, do not count.
 */
export async function countAdmins(auth: Auth): Promise<number> {
  return (await ctxOf(auth)).internalAdapter.countTotalUsers([{ field: "role", value: "admin" }]);
}

export async function listAccounts(auth: Auth): Promise<Account[]> {
  const ctx = await ctxOf(auth);
  const users = (await ctx.internalAdapter.listUsers(1000, 0, { field: "email", direction: "asc" })) as UserRow[];
  return Promise.all(
    users.map(async (u) => {
      const accounts = await ctx.internalAdapter.findAccounts(u.id);
      const signIn = [...new Set(accounts.map((a) => (a.providerId === "credential" ? "password" : "sso") as "password" | "sso"))].sort();
      return { id: u.id, email: u.email, name: u.name, role: u.role === "admin" ? "admin" : "viewer", teams: parseTeams(u.teams), createdAt: new Date(u.createdAt), signIn };
    }),
  );
}

/**
 * Creates a local account. Without a password the account can sign in only through single
 * sign-on (same email); with one, it is a break-glass local account.
 */
export async function createAccount(
  auth: Auth,
  a: { email: string; name?: string; password?: string; role: Role; teams: string[] | null },
): Promise<Account> {
  const ctx = await ctxOf(auth);
  const email = a.email.trim().toLowerCase();
  if (await ctx.internalAdapter.findUserByEmail(email)) throw new ApiError(409, "conflict", `An account for ${email} exists already`);
  const user = (await ctx.internalAdapter.createUser({
    email,
    name: a.name?.trim() || email.split("@")[0],
    // An admin vouches for the address: single sign-on may join this account when the provider verified the same email.
    emailVerified: true,
    role: a.role,
    teams: serializeTeams(a.role === "admin" ? null : a.teams),
  }, { method: "admin" } as never)) as UserRow;
  if (a.password) {
    await ctx.internalAdapter.linkAccount({ providerId: "credential", accountId: user.id, userId: user.id, password: await ctx.password.hash(a.password) });
  }
  return (await listAccounts(auth)).find((x) => x.id === user.id)!;
}

export async function updateAccount(auth: Auth, id: string, a: { role: Role; teams: string[] | null }): Promise<void> {
  const ctx = await ctxOf(auth);
  if (!(await ctx.internalAdapter.findUserById(id))) throw new ApiError(404, "not_found", "No such account");
  if (a.role !== "admin") await keepOneAdmin(auth, id);
  await ctx.internalAdapter.updateUser(id, { role: a.role, teams: serializeTeams(a.role === "admin" ? null : a.teams) });
}

export async function removeAccount(auth: Auth, id: string): Promise<void> {
  const ctx = await ctxOf(auth);
  if (!(await ctx.internalAdapter.findUserById(id))) throw new ApiError(404, "not_found", "No such account");
  await keepOneAdmin(auth, id);
  await ctx.internalAdapter.deleteUser(id);
}

export async function setPassword(auth: Auth, id: string, password: string): Promise<void> {
  const ctx = await ctxOf(auth);
  const hash = await ctx.password.hash(password);
  const accounts = await ctx.internalAdapter.findAccounts(id);
  if (accounts.some((x) => x.providerId === "credential")) await ctx.internalAdapter.updatePassword(id, hash);
  else await ctx.internalAdapter.linkAccount({ providerId: "credential", accountId: id, userId: id, password: hash });
}

/** Signs an account out everywhere: every session row goes. */
export async function signOutEverywhere(auth: Auth, id: string): Promise<void> {
  await (await ctxOf(auth)).internalAdapter.deleteUserSessions(id);
}

/** Refuses to demote or remove the last admin: nobody could manage accounts afterwards. */
async function keepOneAdmin(auth: Auth, id: string): Promise<void> {
  const admins = (await listAccounts(auth)).filter((x) => x.role === "admin");
  if (admins.length === 1 && admins[0].id === id) throw new ApiError(409, "conflict", "This is the only admin: make another admin first");
}

/** The audit line of an account change. */
export function auditAccountChange(
  audit: AuditRepository,
  actor: Principal | null,
  action: string,
  subject: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
) {
  return audit.append({
    atMs: Date.now(),
    actorKind: actor?.kind ?? "user",
    actorId: actor?.id ?? null,
    actorLabel: actor?.label ?? "first-run setup",
    action,
    keyHash: null,
    keyAlias: null,
    teamId: null,
    before: before && { account: subject, ...before },
    after: after && { account: subject, ...after },
    reason: null,
    outcome: "applied",
    message: null,
  });
}

/** A fresh random secret for session cookies (kept in the store so every instance shares it). */
export function newSecret(): string {
  return crypto.randomBytes(32).toString("base64url");
}
