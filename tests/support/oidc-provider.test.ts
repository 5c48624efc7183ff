import { createHash, randomBytes } from "node:crypto";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HandBrowser as Browser } from "./hand-browser";
import { OIDC_SCOPES, startOidcProvider, type OidcProviderHandle } from "./oidc-provider";

/**
 * The whole authorization code flow with PKCE, as a browser and a relying party would run it, with
 * plain fetch: redirects followed by hand and cookies carried by hand, so each step is visible.
 */

const CLIENT_ID = "inflight";
const CLIENT_SECRET = randomBytes(16).toString("hex");
// Nothing listens here: the flow stops at the redirect that would reach it.
const REDIRECT_URI = "http://127.0.0.1:9/api/auth/oauth2/callback/sso";

const ALICE = { email: "alice@example.test", name: "Alice Admin", groups: ["inflight-admins", "ops"] };

let op: OidcProviderHandle;
let discovery: Discovery;

beforeAll(async () => {
  op = await startOidcProvider({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
    accounts: { alice: ALICE },
  });
  discovery = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json();
});

afterAll(() => op?.stop());

describe("local OIDC provider", () => {
  it("publishes discovery for loopback http, with PKCE S256, both secret methods and the groups scope", () => {
    expect(op.issuer).toBe(`http://127.0.0.1:${op.port}`);
    expect(discovery.issuer).toBe(op.issuer);
    for (const url of [discovery.authorization_endpoint, discovery.token_endpoint, discovery.userinfo_endpoint, discovery.jwks_uri]) {
      expect(url.startsWith(`${op.issuer}/`)).toBe(true);
    }
    expect(discovery.code_challenge_methods_supported).toEqual(["S256"]);
    expect(discovery.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(["client_secret_basic", "client_secret_post"]),
    );
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(OIDC_SCOPES.split(" ")));
    expect(discovery.claims_supported).toEqual(expect.arrayContaining(["email", "email_verified", "name", "groups"]));
  });

  for (const auth of ["client_secret_post", "client_secret_basic"] as const) {
    it(`signs alice in and gives email and groups in the ID token and userinfo (${auth})`, async () => {
      const { code, verifier, nonce } = await authorize("alice");
      const tokens = await exchange(code, verifier, auth);

      const { payload } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
        issuer: op.issuer,
        audience: CLIENT_ID,
      });
      expect(payload).toMatchObject({ sub: "alice", nonce, email: ALICE.email, email_verified: true, name: ALICE.name, groups: ALICE.groups });

      const userinfo = await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(userinfo.status).toBe(200);
      expect(await userinfo.json()).toEqual({ sub: "alice", email: ALICE.email, email_verified: true, name: ALICE.name, groups: ALICE.groups });
    });
  }

  it("shows the form again with an error for an unknown login", async () => {
    const browser = new Browser();
    const url = await openLoginPage(browser, pkce().challenge);
    const res = await browser.submit(url, "mallory");
    expect(res.status).toBe(401);
    const body = await res.text();
    expect(body).toContain('<p role="alert">Unknown login: mallory</p>');
    expect(body).toMatch(/<input[^>]*name="login"/);
    expect(body).toContain(">Sign in</button>");
    // The same interaction goes on: a known login still gets through.
    expect((await browser.submit(url, "alice")).status).toBe(303);
  });

  it("refuses an authorization request without PKCE", async () => {
    const res = await new Browser().get(authorizeUrl({ challenge: undefined, state: "s", nonce: "n" }));
    const location = new URL(res.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get("error")).toBe("invalid_request");
  });
});

// --- the flow -----------------------------------------------------------------------------------------

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  code_challenge_methods_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  scopes_supported: string[];
  claims_supported: string[];
}

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

function authorizeUrl({ challenge, state, nonce }: { challenge?: string; state: string; nonce: string }): string {
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: OIDC_SCOPES,
    state,
    nonce,
    ...(challenge && { code_challenge: challenge, code_challenge_method: "S256" }),
  }).toString();
  return url.toString();
}

/** From the authorization request to the login page, following the provider's redirects. */
async function openLoginPage(browser: Browser, challenge: string, state = "state", nonce = "nonce") {
  const res = await browser.follow(authorizeUrl({ challenge, state, nonce }));
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toMatch(/<label for="login">Login<\/label>/);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(action).toBeDefined();
  return new URL(action!, res.url).toString();
}

/** Signs `login` in on the login page and returns what reaches the client's redirect_uri. */
async function authorize(login: string) {
  const browser = new Browser();
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString("hex");
  const nonce = randomBytes(8).toString("hex");
  const url = await openLoginPage(browser, challenge, state, nonce);
  const submitted = await browser.submit(url, login);
  expect(submitted.status).toBe(303);
  const callback = await browser.followUntil(submitted, REDIRECT_URI);
  expect(callback.searchParams.get("state")).toBe(state);
  expect(callback.searchParams.get("iss")).toBe(op.issuer);
  return { code: callback.searchParams.get("code")!, verifier, nonce };
}

async function exchange(code: string, verifier: string, auth: "client_secret_post" | "client_secret_basic") {
  const body = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (auth === "client_secret_post") {
    body.set("client_id", CLIENT_ID);
    body.set("client_secret", CLIENT_SECRET);
  } else {
    headers.authorization = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`;
  }
  const res = await fetch(discovery.token_endpoint, { method: "POST", headers, body });
  const tokens = await res.json();
  expect(res.status, JSON.stringify(tokens)).toBe(200);
  return tokens as { id_token: string; access_token: string };
}
