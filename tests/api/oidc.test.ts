// Single sign-on end to end: a local OpenID Connect provider on loopback (tests/support/oidc-provider.ts),
// the browser's side driven by hand (redirects and cookies), and Inflight's own route handlers for
// its side (better-auth's sign-in and callback). Groups map to roles and teams at every sign-in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as authGet, POST as authPost } from "../../app/api/auth/[...all]/route";
import { GET as overviewGet } from "../../app/api/overview/route";
import { POST as limitsPost } from "../../app/api/keys/[hash]/limits/route";
import { createAccount, listAccounts } from "../../lib/accounts/accounts";
import { principalOf } from "../../lib/accounts/principal";
import type { VirtualKey } from "../../lib/litellm/schemas";
import { app } from "../../lib/server/app";
import { HandBrowser } from "../support/hand-browser";
import { startOidcProvider, type OidcAccount, type OidcProviderHandle } from "../support/oidc-provider";
import { setAppEnv } from "../support/app-env";
import { createTestDatabase } from "../support/store";

const BASE = "http://inflight.test";
const CALLBACK = `${BASE}/api/auth/callback/oidc`;
const CLIENT = { id: "inflight", secret: "oidc-test-client-secret-0123456789" };

const accounts: Record<string, OidcAccount> = {
  alice: { email: "alice@example.test", name: "Alice", groups: ["inflight-admins", "ops"] },
  bob: { email: "bob@example.test", name: "Bob", groups: ["payments-team", "everyone"] },
  dave: { email: "dave@example.test", name: "Dave", groups: ["inflight-viewers"] },
  carol: { email: "carol@example.test", name: "Carol", groups: ["sales"] },
  // Another identity at the provider claiming alice's address, unverified.
  mallory: { email: "alice@example.test", name: "Mallory", groups: ["inflight-viewers"], emailVerified: false },
  // A person an admin invited (no password: single sign-on only).
  erin: { email: "erin@example.test", name: "Erin", groups: ["inflight-viewers"] },
};

const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .filter((c) => !/max-age=0/i.test(c))
    .map((c) => c.split(";")[0])
    .join("; ");

/**
 * Signs `login` in through single sign-on: Inflight's sign-in route gives the provider's URL, the
 * provider's login page is filled, and its redirect comes back to Inflight's callback route.
 * Answers the callback's response (a redirect, with the session cookie when it worked).
 */
async function ssoSignIn(login: string): Promise<Response> {
  const start = await authPost(
    new Request(`${BASE}/api/auth/sign-in/social`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE },
      body: JSON.stringify({ provider: "oidc", callbackURL: "/keys", errorCallbackURL: "/sign-in" }),
    }),
  );
  expect(start.status, await start.clone().text()).toBe(200);
  const { url } = (await start.json()) as { url: string };
  const browser = new HandBrowser();
  const loginPage = await browser.follow(url);
  const action = /<form method="post" action="([^"]+)"/.exec(await loginPage.text())![1];
  const submitted = await browser.submit(new URL(action, loginPage.url).toString(), login);
  const callback = await browser.followUntil(submitted, CALLBACK);
  return authGet(new Request(callback.toString(), { headers: { cookie: cookiesOf(start) } }));
}

describe("single sign-on through OpenID Connect", () => {
  let op: OidcProviderHandle;
  let db: { url: string; remove(): Promise<void> };
  let restoreEnv: () => void = () => undefined;

  beforeAll(async () => {
    op = await startOidcProvider({ clientId: CLIENT.id, clientSecret: CLIENT.secret, redirectUris: [CALLBACK], accounts });
    db = await createTestDatabase("sqlite");
    restoreEnv = setAppEnv({
      INFLIGHT_DATABASE_URL: db.url,
      INFLIGHT_PUBLIC_URL: BASE,
      INFLIGHT_OIDC_ISSUER: op.issuer,
      INFLIGHT_OIDC_CLIENT_ID: CLIENT.id,
      INFLIGHT_OIDC_CLIENT_SECRET: CLIENT.secret,
      INFLIGHT_OIDC_ADMIN_GROUPS: "inflight-admins",
      INFLIGHT_OIDC_TEAM_GROUPS: "payments-team=team-pay, search-team=team-search",
      INFLIGHT_OIDC_VIEWER_GROUPS: "inflight-viewers",
    });
    const { store } = await app();
    const key = (alias: string, hash: string, team: string | null) =>
      ({ token: hash, key_alias: alias, team_id: team, max_parallel_requests: 4, rpm_limit: null, tpm_limit: null, blocked: false }) as VirtualKey;
    await store.catalog.apply({ upserts: [key("pay", "a".repeat(64), "team-pay"), key("search", "b".repeat(64), "team-search")], limitChanges: [], removed: [] }, Date.now());
  }, 60_000);

  afterAll(async () => {
    await (await app()).store.close();
    await op?.stop();
    await db?.remove();
    restoreEnv();
  });

  const who = async (res: Response) => {
    const a = await app();
    return principalOf(new Headers({ cookie: cookiesOf(res) }), { store: a.store, auth: a.auth });
  };
  const overviewAs = async (res: Response) =>
    (await (await overviewGet(new Request(`${BASE}/api/overview?from=${Date.now() - 3_600_000}&to=${Date.now()}`, { headers: { cookie: cookiesOf(res) } }))).json()) as {
      rows: { alias: string }[];
    };

  it("a member of an admin group signs in as an admin of every team", async () => {
    const res = await ssoSignIn("alice");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/keys");
    expect(await who(res)).toMatchObject({ kind: "user", label: "alice@example.test", role: "admin", teams: null });
    expect((await overviewAs(res)).rows.map((r) => r.alias).sort()).toEqual(["pay", "search"]);
  });

  it("a member of a team group is a viewer of that team only: other teams' keys never appear, writes get 403", async () => {
    const res = await ssoSignIn("bob");
    expect(await who(res)).toMatchObject({ role: "viewer", teams: ["team-pay"] });
    expect((await overviewAs(res)).rows.map((r) => r.alias)).toEqual(["pay"]);
    const hash = "a".repeat(64);
    const write = await limitsPost(
      new Request(`${BASE}/api/keys/${hash}/limits`, { method: "POST", headers: { cookie: cookiesOf(res), origin: BASE, "content-type": "application/json" }, body: '{"max_parallel_requests":2}' }),
      { params: Promise.resolve({ hash }) },
    );
    expect(write.status).toBe(403);
  });

  it("a member of a viewer group sees every team", async () => {
    expect(await who(await ssoSignIn("dave"))).toMatchObject({ role: "viewer", teams: null });
  });

  it("someone in none of the allowed groups is refused, and no session is made", async () => {
    const res = await ssoSignIn("carol");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/sign-in\?error=/);
    expect(await who(res)).toBeNull();
  });

  it("an unverified email never joins the account of that address", async () => {
    const res = await ssoSignIn("mallory");
    expect(res.headers.get("location")).toMatch(/^\/sign-in\?error=/);
    expect(await who(res)).toBeNull();
  });

  it("an account an admin invited without a password signs in through single sign-on", async () => {
    const a = await app();
    await createAccount(a.auth, { email: "erin@example.test", role: "viewer", teams: ["team-search"] });
    const res = await ssoSignIn("erin");
    // Joined to the invited account; its role and teams then follow the provider's groups.
    expect(await who(res)).toMatchObject({ label: "erin@example.test", role: "viewer", teams: null });
    expect((await listAccounts(a.auth)).filter((x) => x.email === "erin@example.test")).toEqual([expect.objectContaining({ signIn: ["sso"] })]);
  });

  it("an ID token posted to sign-in directly is refused: single sign-on is the provider's page only", async () => {
    const res = await authPost(
      new Request(`${BASE}/api/auth/sign-in/social`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: BASE },
        body: JSON.stringify({ provider: "oidc", idToken: { token: "eyJhbGciOiJub25lIn0.e30." } }),
      }),
    );
    expect(res.status).toBe(400);
    expect(await who(res)).toBeNull();
  });

  it("better-auth's own admin routes do not exist", async () => {
    const res = await authPost(new Request(`${BASE}/api/auth/admin/set-role`, { method: "POST", headers: { "content-type": "application/json", origin: BASE }, body: '{"userId":"x","role":"admin"}' }));
    expect(res.status).toBe(404);
  });

  it("role and teams follow the groups at the next sign-in", async () => {
    accounts.bob.groups = ["search-team", "payments-team"];
    expect(await who(await ssoSignIn("bob"))).toMatchObject({ role: "viewer", teams: ["team-pay", "team-search"] });
    accounts.bob.groups = ["inflight-admins"];
    expect(await who(await ssoSignIn("bob"))).toMatchObject({ role: "admin", teams: null });
    accounts.bob.groups = ["everyone"];
    expect(await who(await ssoSignIn("bob"))).toBeNull();
  });
});
