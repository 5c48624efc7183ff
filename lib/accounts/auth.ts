// better-auth, set up for Inflight: local accounts (email + password, no self sign-up), database
// sessions (revocable: deleting the row signs the browser out), the admin plugin for roles and
// account management, and OpenID Connect single sign-on when configured. Its tables are the
// store's (prisma/schema.prisma: auth_*); it runs its queries on the store's own connection.
import { APIError, betterAuth, type GenericEndpointContext } from "better-auth";
import { admin } from "better-auth/plugins/admin";
import { defaultStatements } from "better-auth/plugins/admin/access";
import { createAccessControl } from "better-auth/plugins/access";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import type { Store } from "../store/store";
import { accessFromGroups, groupsClaim, type GroupRules } from "./oidc-groups";
import { serializeTeams } from "./roles";

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  rules: GroupRules;
}

export interface AuthSettings {
  /** Where operators reach Inflight: cookies, the SSO redirect and the write origin check. */
  baseURL: string;
  secret: string;
  oidc: OidcSettings | null;
  /** Sign-in attempts per minute and client address. */
  signInPerMinute?: number;
}

/** The provider id single sign-on uses in URLs (the redirect URI is /api/auth/callback/oidc). */
export const OIDC_PROVIDER_ID = "oidc";

const ac = createAccessControl(defaultStatements);
/** Admins hold every account permission; viewers none (what they may read is decided by lib/accounts/guard.ts). */
const roles = { admin: ac.newRole({ ...defaultStatements }), viewer: ac.newRole({ user: [], session: [] }) };

export function createAuth(store: Store, s: AuthSettings) {
  return betterAuth({
    appName: "Inflight",
    baseURL: s.baseURL,
    basePath: "/api/auth",
    secret: s.secret,
    database: store.authDatabase,
    trustedOrigins: [new URL(s.baseURL).origin],
    telemetry: { enabled: false },
    user: {
      modelName: "auth_user",
      additionalFields: { teams: { type: "string", required: false, input: false } },
    },
    session: {
      modelName: "auth_session",
      expiresIn: 7 * 24 * 3600,
      updateAge: 24 * 3600,
      // No cookie cache: every request reads the session row, so a revoked session ends at once.
      cookieCache: { enabled: false },
    },
    account: {
      modelName: "auth_account",
      // An SSO sign-in joins a local account of the same (provider-verified) email.
      accountLinking: { enabled: true, trustedProviders: [OIDC_PROVIDER_ID] },
    },
    verification: { modelName: "auth_verification" },
    rateLimit: {
      enabled: true,
      storage: "database",
      modelName: "auth_rate_limit",
      window: 60,
      max: 300,
      // Password guesses are what throttling is for; starting single sign-on proves nothing by itself.
      customRules: { "/sign-in/email": { window: 60, max: s.signInPerMinute ?? 10 }, "/sign-in/social": { window: 60, max: 60 } },
    },
    // Passwords are hashed with scrypt (better-auth's default, memory-hard); accounts are made by
    // admins or the first-run setup, never by signing up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, maxPasswordLength: 256 },
    advanced: {
      cookiePrefix: "inflight",
      useSecureCookies: s.baseURL.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      ipAddress: { ipAddressHeaders: ["x-forwarded-for", "x-real-ip"] },
    },
    logger: { level: "warn" },
    // Role and teams follow the provider's groups at every single sign-on: decided as the session
    // is made, from the ID token better-auth has just verified and stored.
    databaseHooks: s.oidc ? { session: { create: { before: groupsDecide(s.oidc.rules) } } } : undefined,
    plugins: [
      admin({ ac, roles, defaultRole: "viewer", adminRoles: ["admin"] }),
      ...(s.oidc ? [oidcPlugin(s.oidc)] : []),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

function groupsDecide(rules: GroupRules) {
  return async (session: { userId: string }, ctx: GenericEndpointContext | null) => {
    if (!ctx?.path?.startsWith("/callback") || (ctx.params as Record<string, string> | undefined)?.id !== OIDC_PROVIDER_ID) return;
    const accounts = await ctx.context.internalAdapter.findAccounts(session.userId);
    const claims = jwtPayload(accounts.find((a) => a.providerId === OIDC_PROVIDER_ID)?.idToken);
    const access = accessFromGroups(groupsClaim(claims?.groups), rules);
    // Thrown inside the callback, an APIError with a code becomes a redirect to the sign-in page with ?error=<code>.
    if ("refused" in access) throw new APIError("FORBIDDEN", { code: "no_access", message: access.refused });
    await ctx.context.internalAdapter.updateUser(session.userId, { role: access.role, teams: serializeTeams(access.teams) });
  };
}

/** The claims of a JWT better-auth has verified already (signature, issuer, audience, nonce). */
function jwtPayload(token: string | null | undefined): Record<string, unknown> | null {
  try {
    return token ? (JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function oidcPlugin(o: OidcSettings) {
  return genericOAuth({
    config: [
      {
        providerId: OIDC_PROVIDER_ID,
        discoveryUrl: `${o.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`,
        clientId: o.clientId,
        clientSecret: o.clientSecret,
        scopes: ["openid", "email", "profile", "groups"],
        pkce: true,
        requireIdTokenVerification: true,
        // Name and email follow the provider at every sign-in; OIDC names the verified flag email_verified.
        overrideUserInfo: true,
        mapProfileToUser: (profile: Record<string, unknown>) => ({ emailVerified: profile.email_verified === true }),
      },
    ],
  });
}
