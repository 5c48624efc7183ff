// How the API answers a failure: toApiError's status, code and message for each kind of error, made
// by the real thing that throws it (zod schemas of the routes, the LiteLLM client against a real
// HTTP server, stores whose database cannot be reached); handle()'s response around it is in
// tests/api/handle.test.ts (app/ code, which lib/ must not import).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tests/support/ports";
import { OverviewQuerySchema, SeriesQuerySchema } from "../api/keys";
import { ConfigError, loadServerConfig } from "../config/env";
import { LiteLLMClient } from "../litellm/client";
import { openStore } from "../store/open";
import { ApiError, toApiError } from "./api-error";

/** What toApiError makes of whatever `fn` throws (it must throw). */
async function mapped(fn: () => unknown): Promise<{ status: number; code: string; message: string }> {
  try {
    await fn();
  } catch (e) {
    const err = toApiError(e);
    expect(err).toBeInstanceOf(ApiError);
    return { status: err.status, code: err.code, message: err.message };
  }
  throw new Error("expected a throw");
}

const GENERIC_500 = { status: 500, code: "internal", message: "Internal error; see the server log" };

describe("422: bad query input", () => {
  it("names each bad field of a route's query, joined by '; '", async () => {
    expect(await mapped(() => OverviewQuerySchema.parse({ from: "1000", to: "500" }))).toEqual({ status: 422, code: "invalid_input", message: "to: to must be after from" });
    expect(await mapped(() => OverviewQuerySchema.parse({ from: "0", to: String(32 * 86_400_000) }))).toEqual({
      status: 422,
      code: "invalid_input",
      message: "to: a range is at most 31 days",
    });
    expect(await mapped(() => OverviewQuerySchema.parse({}))).toEqual({ status: 422, code: "invalid_input", message: "from: Invalid input; to: Invalid input" });
    expect(await mapped(() => SeriesQuerySchema.parse({ from: "1000", to: "2000", maxPoints: "5" }))).toEqual({
      status: 422,
      code: "invalid_input",
      message: "maxPoints: Too small: expected number to be >=10",
    });
  });

  it("an ApiError thrown by a route (a 404 for an unknown key) passes through as it is", async () => {
    const notFound = new ApiError(404, "not_found", "No key 01234567… is known yet");
    expect(toApiError(notFound)).toBe(notFound);
  });
});

describe("502 and 503: the LiteLLM proxy", () => {
  // A real proxy stand-in: each test sets what it answers.
  let answer: http.RequestListener = (_req, res) => res.end();
  let server: http.Server;
  let url: string;
  const MASTER = "sk-master-never-shown";
  const client = (timeoutMs = 5_000) => new LiteLLMClient({ baseUrl: url, apiKey: MASTER, timeoutMs });
  const respond = (status: number, body: string) => {
    answer = (_req, res) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body);
    };
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => answer(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("a wrong master key (401/403) is 502 litellm_rejected and says which setting to check", async () => {
    respond(401, JSON.stringify({ error: { message: "Authentication Error, invalid token", type: "auth_error", param: "None", code: "401" } }));
    expect(await mapped(() => client().liveliness())).toEqual({
      status: 502,
      code: "litellm_rejected",
      message: "LiteLLM /health/liveliness answered 401: Authentication Error, invalid token (check LITELLM_MASTER_KEY)",
    });
    respond(403, JSON.stringify({ detail: "forbidden" }));
    expect(await mapped(() => client().liveliness())).toMatchObject({ status: 502, code: "litellm_rejected" });
  });

  it("a proxy error (5xx), a refusal of our parameters (4xx) and an answer we cannot read are 502 litellm_error", async () => {
    respond(500, JSON.stringify({ error: { message: "db down", type: "None", param: "None", code: "500" } }));
    expect(await mapped(() => client().listKeysPage(1))).toEqual({ status: 502, code: "litellm_error", message: "LiteLLM /key/list answered 500: db down" });
    respond(422, JSON.stringify({ detail: [{ loc: ["query", "size"], msg: "too big" }] }));
    expect(await mapped(() => client().listKeysPage(1))).toMatchObject({ status: 502, code: "litellm_error" });
    respond(200, "<html>a login page</html>");
    expect(await mapped(() => client().listKeysPage(1))).toEqual({
      status: 502,
      code: "litellm_error",
      message: "LiteLLM /key/list answered with something that is not JSON",
    });
    respond(200, JSON.stringify({ keys: "not a list" }));
    expect(await mapped(() => client().listKeysPage(1))).toMatchObject({ status: 502, code: "litellm_error", message: expect.stringMatching(/^LiteLLM \/key\/list answered in an unexpected shape \(keys: /) });
  });

  it("a proxy that does not answer (connection refused, timeout) is 503 litellm_unreachable", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    expect(await mapped(() => new LiteLLMClient({ baseUrl: closed, apiKey: MASTER }).liveliness())).toEqual({
      status: 503,
      code: "litellm_unreachable",
      message: `LiteLLM at ${closed} is unreachable: ECONNREFUSED`,
    });
    answer = () => undefined; // never answers
    expect(await mapped(() => client(200).liveliness())).toEqual({ status: 503, code: "litellm_unreachable", message: `LiteLLM at ${url} is unreachable: timed out` });
  });

  it("never puts the master key in a message", async () => {
    for (const [status, body] of [
      [401, "{}"],
      [500, "oops"],
      [200, "not json"],
    ] as const) {
      respond(status, body);
      expect((await mapped(() => client().listKeysPage(1))).message).not.toContain(MASTER);
    }
  });
});

describe("503: Inflight not configured or its store unavailable", () => {
  it("a configuration error is 503 not_configured, naming the setting but not the value given", async () => {
    const got = await mapped(() => loadServerConfig({ LITELLM_URL: "http://proxy:4000", LITELLM_MASTER_KEY: "not-sk-secret-value" }));
    expect(got).toEqual({ status: 503, code: "not_configured", message: "Invalid configuration:\n  - LITELLM_MASTER_KEY: LITELLM_MASTER_KEY must start with sk- (LiteLLM requires it)" });
    expect(toApiError(new ConfigError(["PORT: PORT must be a port number"])).status).toBe(503);
  });

  it("a Postgres store nobody listens for is 503 store_unavailable, without its URL or password", async () => {
    const store = await openStore(`postgresql://inflight:hunter2@127.0.0.1:${await freePort()}/inflight`);
    try {
      expect(await mapped(() => store.catalog.keyByHash("0".repeat(64)))).toEqual({
        status: 503,
        code: "store_unavailable",
        message: "Inflight's database is unavailable (ECONNREFUSED); see the server log",
      });
    } finally {
      await store.close();
    }
  });

  it("a SQLite store whose file cannot be opened is 503 store_unavailable", async () => {
    expect(await mapped(() => openStore(`file:/tmp/inflight-no-such-${process.pid}.db`))).toEqual({
      status: 503,
      code: "store_unavailable",
      message: "Inflight's database is unavailable (SQLITE_CANTOPEN); see the server log",
    });
  });

  it("maps the drivers' codes for 'cannot serve now', and only those", () => {
    const withCode = (code: string) => Object.assign(new Error(`driver text with host db.internal:5432 (${code})`), { code });
    for (const code of ["08006", "08001", "57P01", "57P03", "53300", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "SQLITE_BUSY"]) {
      expect([code, toApiError(withCode(code)).status, toApiError(withCode(code)).message]).toEqual([code, 503, `Inflight's database is unavailable (${code}); see the server log`]);
    }
    // pg's pool gives up waiting for a connection with a message and no code.
    expect(toApiError(new Error("timeout exceeded when trying to connect"))).toMatchObject({ status: 503, code: "store_unavailable" });
    // Errors of the query or the data, not of reaching the store: a bug, so a generic 500.
    for (const code of ["23505", "42P01", "22P02", "SQLITE_CONSTRAINT", "SQLITE_ERROR", "ERR_INVALID_ARG_TYPE"]) {
      expect([code, toApiError(withCode(code))]).toEqual([code, expect.objectContaining(GENERIC_500)]);
    }
  });
});

describe("500: anything else says nothing", () => {
  const secret = "sk-live-0123456789 at postgresql://inflight:hunter2@db/inflight";
  const unknowns: [string, unknown][] = [
    ["an Error", new Error(secret)],
    ["a TypeError", new TypeError(`Cannot read properties of undefined (reading '${secret}')`)],
    ["a thrown string", secret],
    ["a thrown object", { message: secret, stack: `Error: ${secret}\n    at x (/work/main/lib/x.ts:1:1)` }],
    ["null", null],
  ];

  it.each(unknowns)("%s: a generic 500", async (_what, thrown) => {
    expect(await mapped(() => Promise.reject(thrown))).toEqual(GENERIC_500);
  });
});
