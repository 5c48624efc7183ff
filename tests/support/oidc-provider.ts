import { generateKeyPairSync, randomBytes } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local OpenID Connect provider on loopback, for the single sign-on tests: a real authorization
 * server (oidc-provider: discovery, authorization code, PKCE, ID tokens, userinfo) with a one-field
 * login page of its own, and consent granted without a click, so a browser goes from the client's
 * "sign in with SSO" to its redirect_uri by typing a login name and pressing "Sign in".
 */

export interface OidcAccount {
  email: string;
  name?: string;
  groups: string[];
  /** The provider's email_verified claim (true unless set). */
  emailVerified?: boolean;
}

export interface OidcProviderHandle {
  /** `http://127.0.0.1:<port>`; discovery is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  port: number;
  stop(): Promise<void>;
}

export interface OidcProviderOptions {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Key: the login name typed on the provider's login page; it is also the account's `sub`. */
  accounts: Record<string, OidcAccount>;
}

/** The scopes a client asks for to get every claim this provider has (groups included). */
export const OIDC_SCOPES = "openid email profile groups";

export async function startOidcProvider(opts: OidcProviderOptions): Promise<OidcProviderHandle> {
  const Provider = await loadProvider();
  const server = http.createServer();
  // Listen first: the issuer names the port, and the provider needs its issuer to be built.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, configuration(opts));
  const oidc = provider.callback();
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (isInteraction(req)) void handleInteraction(provider, opts.accounts, req, res).catch((err) => sendError(res, err));
    else void oidc(req, res);
  });
  return { issuer, port, stop: () => stopServer(server) };
}

// --- oidc-provider, typed for the few parts used here (it ships no types) ---------------------------

interface Interaction {
  uid: string;
  prompt: { name: string; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] } };
  params: { client_id: string };
  session?: { accountId: string };
  grantId?: string;
}

interface Grant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  save(): Promise<string>;
}

type InteractionResult = { login: { accountId: string } } | { consent: { grantId?: string } };

interface Provider {
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: InteractionResult,
    opts: { mergeWithLastSubmission: boolean },
  ): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): Grant; find(id: string): Promise<Grant | undefined> };
}

type ProviderConstructor = new (issuer: string, configuration: object) => Provider;

let providerModule: Promise<ProviderConstructor> | undefined;

/**
 * oidc-provider 9 prints "Unsupported runtime. Use Node.js v22.x LTS" once, when its module is
 * evaluated, on any Node older than 22 LTS, and this repo runs on Node 20.19+ where it works. That
 * one line is dropped; any other warning printed meanwhile still goes through.
 */
function loadProvider(): Promise<ProviderConstructor> {
  providerModule ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (!String(args[0]).includes("Unsupported runtime")) warn(...args);
    };
    try {
      // @ts-expect-error -- oidc-provider ships no type declarations; the parts used are typed above.
      const mod = await import("oidc-provider");
      return mod.default as ProviderConstructor;
    } finally {
      console.warn = warn;
    }
  })();
  return providerModule;
}

// --- configuration ------------------------------------------------------------------------------------

const HOUR = 60 * 60;

function configuration(opts: OidcProviderOptions): object {
  return {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: opts.redirectUris,
        // better-auth's genericOAuth sends the secret in the body by default ("post"); oidc-provider
        // accepts the Basic header as well for a client registered with either secret method.
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name"],
      groups: ["groups"],
    },
    // By default, claims asked for by scope go only to userinfo when an access token is issued too;
    // the client reads groups from the ID token as well.
    conformIdTokenClaims: false,
    findAccount: (_ctx: unknown, sub: string) => findAccount(opts.accounts, sub),
    // Every client must prove PKCE (oidc-provider requires it of public clients only), so a client
    // that forgets it fails here as it would against a strict identity provider.
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    adapter: memoryAdapter(),
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    // Set explicitly: each default prints a notice the first time it is used.
    ttl: { AccessToken: HOUR, IdToken: HOUR, Interaction: HOUR, Session: HOUR, Grant: HOUR },
    renderError,
  };
}

function findAccount(accounts: Record<string, OidcAccount>, sub: string) {
  const account = Object.hasOwn(accounts, sub) ? accounts[sub] : undefined;
  if (!account) return undefined;
  return {
    accountId: sub,
    // oidc-provider keeps only the claims the granted scopes allow.
    claims: async () => ({
      sub,
      email: account.email,
      email_verified: account.emailVerified ?? true,
      name: account.name,
      groups: account.groups,
    }),
  };
}

/** A fresh RS256 signing key per start (RS256 is the ID token algorithm clients expect by default). */
function signingKey(): object {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), use: "sig", alg: "RS256", kid: randomBytes(8).toString("hex") };
}

/** Errors shown to the browser (a bad redirect_uri, an expired interaction): plain, with no web fonts. */
async function renderError(ctx: { type: string; body: string }, out: Record<string, string>): Promise<void> {
  ctx.type = "html";
  ctx.body = page("Error", `<h1>Error</h1><pre>${escapeHtml(JSON.stringify(out, null, 2))}</pre>`);
}

// --- storage ----------------------------------------------------------------------------------------

interface Stored {
  payload: Record<string, unknown>;
  expiresAt: number;
}

/**
 * The provider's state in this process's memory, one map per start. oidc-provider's default adapter
 * prints a warning at start (its quiet variant is internal to the package, not its API).
 */
function memoryAdapter(): (model: string) => object {
  const store = new Map<string, Stored>();
  const live = (key: string) => {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= Date.now()) store.delete(key);
    return store.get(key)?.payload;
  };
  return (model: string) => ({
    async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number) {
      store.set(`${model}:${id}`, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    },
    async find(id: string) {
      return live(`${model}:${id}`);
    },
    // Sessions are looked up by their uid as well as their id.
    async findByUid(uid: string) {
      for (const key of store.keys()) {
        const payload = key.startsWith(`${model}:`) ? live(key) : undefined;
        if (payload?.uid === uid) return payload;
      }
      return undefined;
    },
    async consume(id: string) {
      const payload = live(`${model}:${id}`);
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    },
    async destroy(id: string) {
      store.delete(`${model}:${id}`);
    },
    async revokeByGrantId(grantId: string) {
      for (const [key, { payload }] of store) if (payload.grantId === grantId) store.delete(key);
    },
  });
}

// --- interactions: login page and automatic consent ---------------------------------------------------

function isInteraction(req: IncomingMessage): boolean {
  const { pathname } = new URL(req.url ?? "/", "http://127.0.0.1");
  return /^\/interaction\/[^/]+$/.test(pathname) && (req.method === "GET" || req.method === "POST");
}

/**
 * GET shows the login form; POST signs the typed login in. Once signed in, the provider sends the
 * browser back here for consent, which is granted at once, so no second page is ever shown.
 */
async function handleInteraction(
  provider: Provider,
  accounts: Record<string, OidcAccount>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const interaction = await provider.interactionDetails(req, res);
  if (interaction.prompt.name === "consent") return grantConsent(provider, interaction, req, res);
  if (req.method === "GET") return sendLoginPage(res, interaction.uid, 200);
  const login = new URLSearchParams(await readBody(req)).get("login")?.trim() ?? "";
  if (!Object.hasOwn(accounts, login)) return sendLoginPage(res, interaction.uid, 401, `Unknown login: ${login}`);
  await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
}

/** Grants what the client asked for: the prompt lists the scopes and claims not granted yet. */
async function grantConsent(provider: Provider, interaction: Interaction, req: IncomingMessage, res: ServerResponse) {
  const { prompt, params, session, grantId } = interaction;
  // A session that already granted this client something has a grant to extend.
  const existing = grantId ? await provider.Grant.find(grantId) : undefined;
  // At the consent prompt the login is done, so the interaction has its session.
  const grant = existing ?? new provider.Grant({ accountId: session!.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(" "));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const savedId = await grant.save();
  // An existing grant was extended in place; a new one is handed over by its id.
  const consent = existing ? {} : { grantId: savedId };
  await provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
}

function sendLoginPage(res: ServerResponse, uid: string, status: number, error?: string): void {
  const form = `<h1>Sign in</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/interaction/${encodeURIComponent(uid)}">
  <label for="login">Login</label>
  <input id="login" name="login" autocomplete="username" autofocus required>
  <button type="submit">Sign in</button>
</form>`;
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(page("Sign in", form));
}

// --- plumbing -------------------------------------------------------------------------------------------

const MAX_BODY = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_BODY) throw Object.assign(new Error("request body too large"), { statusCode: 413 });
  }
  return body;
}

/** oidc-provider's errors (no interaction cookie, an expired interaction) carry their status. */
function sendError(res: ServerResponse, err: unknown): void {
  const { statusCode = 500, message = String(err), error_description: detail } = err as {
    statusCode?: number;
    message?: string;
    error_description?: string;
  };
  if (res.headersSent) return void res.destroy();
  res.writeHead(statusCode, { "content-type": "text/plain; charset=utf-8" });
  res.end(detail ? `${message}: ${detail}` : message);
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Closes the listener and every open connection, keep-alive ones included, so nothing holds the process. */
function stopServer(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
