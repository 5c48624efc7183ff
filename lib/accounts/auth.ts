// better-auth, set up for Inflight: local accounts (email + password, no self sign-up), database
// sessions (revocable: deleting the row signs the browser out), the admin plugin for roles and
// account management, and OpenID Connect single sign-on when configured. Its tables are the
// store's (prisma/schema.prisma: auth_*); it runs its queries on the store's own connection.
import { betterAuth } from "better-auth";
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

/** The provider id single sign-on uses in URLs (/api/auth/oauth2/callback/oidc). */
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
      customRules: { "/sign-in/email": { window: 60, max: s.signInPerMinute ?? 10 } },
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
    plugins: [
      admin({ ac, roles, defaultRole: "viewer", adminRoles: ["admin"] }),
      ...(s.oidc ? [oidcPlugin(s.oidc)] : []),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** Thrown from the profile mapping when the provider's groups grant no access: sign-in is refused. */
export class NoAccessError extends Error {}

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
        // Role and teams follow the provider's groups at every sign-in.
        overrideUserInfo: true,
        mapProfileToUser: (profile: Record<string, unknown>) => {
          const access = accessFromGroups(groupsClaim(profile.groups), o.rules);
          if ("refused" in access) throw new NoAccessError(access.refused);
          return { role: access.role, teams: serializeTeams(access.teams), emailVerified: profile.email_verified === true };
        },
      },
    ],
  });
}
