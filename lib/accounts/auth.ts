// better-auth, set up for Inflight: local accounts (email + password, no self sign-up), database
// sessions (revocable: deleting the row signs the browser out), and OpenID Connect single sign-on
// when configured. Roles and teams are two columns of the user that only Inflight writes
// (lib/accounts/accounts.ts, and the groups decision below); better-auth's admin plugin is not used,
// so no route of the library can change a role, skip the audit trail or impersonate anyone. Its
// tables are the store's (prisma/schema.prisma: auth_*); it runs its queries on the store's own
// connection.
import { APIError, betterAuth, type GenericEndpointContext } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import type { Store } from "../store/store";
import { accessFromGroups, groupsClaim, type GroupRules } from "./oidc-groups";
import { serializeTeams } from "./roles";
import { SignInThrottle } from "./sign-in-throttle";

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
  /** Password sign-in attempts a minute, per client address and per account. */
  signInPerMinute?: number;
}

/** The provider id single sign-on uses in URLs (the redirect URI is /api/auth/callback/oidc). */
export const OIDC_PROVIDER_ID = "oidc";

export function createAuth(store: Store, s: AuthSettings) {
  const perMinute = s.signInPerMinute ?? 10;
  const perAccount = new SignInThrottle(perMinute, 60_000);
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
      additionalFields: {
        role: { type: "string", required: false, input: false, defaultValue: "viewer" },
        teams: { type: "string", required: false, input: false },
      },
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
      // An SSO sign-in joins the local account of the same email only when the provider says the
      // email is verified (no trusted providers: an unverified claim must never take an account over).
      accountLinking: { enabled: true },
    },
    verification: { modelName: "auth_verification" },
    rateLimit: {
      enabled: true,
      storage: "database",
      modelName: "auth_rate_limit",
      window: 60,
      max: 300,
      // Password guesses are what throttling is for; starting single sign-on proves nothing by itself.
      customRules: { "/sign-in/email": { window: 60, max: perMinute }, "/sign-in/social": { window: 60, max: 60 } },
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
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const body = (ctx.body ?? {}) as Record<string, unknown>;
        // An ID token posted straight to sign-in would skip the provider's page, and with it the
        // groups decision made as the callback's session is created: single sign-on is the redirect only.
        if (ctx.path === "/sign-in/social" && body.idToken !== undefined) {
          throw new APIError("BAD_REQUEST", { message: "Sign in through the identity provider's page" });
        }
        // The address limit trusts X-Forwarded-For, which a client can forge when no proxy rewrites
        // it: each account also takes at most this many password attempts a minute.
        if (ctx.path === "/sign-in/email" && typeof body.email === "string" && !perAccount.take(body.email.trim().toLowerCase())) {
          throw new APIError("TOO_MANY_REQUESTS", { message: "Too many sign-in attempts for this account: wait a minute and try again" });
        }
      }),
    },
    // Role and teams follow the provider's groups at every single sign-on: decided as the session
    // is made, from the ID token better-auth has just verified and stored.
    databaseHooks: s.oidc ? { session: { create: { before: groupsDecide(s.oidc.rules) } } } : undefined,
    plugins: s.oidc ? [oidcPlugin(s.oidc)] : [],
  });
}

export type Auth = ReturnType<typeof createAuth>;

type StoredAccount = { providerId: string; idToken?: string | null; updatedAt?: Date | string | null };

function groupsDecide(rules: GroupRules) {
  return async (session: { userId: string }, ctx: GenericEndpointContext | null) => {
    if (!ctx?.path?.startsWith("/callback") || (ctx.params as Record<string, string> | undefined)?.id !== OIDC_PROVIDER_ID) return;
    // The provider account this sign-in has just written (its tokens are updated before the session is made).
    const accounts = ((await ctx.context.internalAdapter.findAccounts(session.userId)) as StoredAccount[])
      .filter((a) => a.providerId === OIDC_PROVIDER_ID)
      .sort((a, b) => new Date(b.updatedAt ?? 0).getTime() - new Date(a.updatedAt ?? 0).getTime());
    const access = accessFromGroups(groupsClaim(jwtPayload(accounts[0]?.idToken)?.groups), rules);
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
