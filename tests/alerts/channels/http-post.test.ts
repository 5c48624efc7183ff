// post(): the one way a channel reaches the outside, against a real local receiver: what it sends,
// how it reads an answer (status, Retry-After, retryable or permanent), its deadline, and the SSRF
// rule (private targets refused unless listed in ALERT_ALLOWED_HOSTS) with nothing sent when refused.
import { describe, expect, it } from "vitest";
import { isAllowedHost, parseRetryAfter, post } from "../../../lib/alerts/channels/http-post";
import { freePort } from "../../support/ports";
import { context, useReceiver } from "./fixtures";

const r = useReceiver();
const json = (url: string, body = '{"hello":"world"}') => ({ url, headers: { "content-type": "application/json" }, body });

describe("a request that reaches its target", () => {
  it("POSTs the body and headers, and a 2xx is ok", async () => {
    const res = await post(json(`${r.rx.url}/hooks/abc?x=1`), context());
    expect(res).toEqual({ ok: true, status: 200, latencyMs: expect.any(Number), error: null, retryAfterMs: null, permanent: false });
    expect(r.rx.requests).toHaveLength(1);
    const got = r.rx.requests[0];
    expect([got.method, got.path, got.body]).toEqual(["POST", "/hooks/abc?x=1", '{"hello":"world"}']);
    expect(got.headers).toMatchObject({ "content-type": "application/json", "content-length": "17", "user-agent": "Inflight" });
  });

  it("a 5xx is not ok and worth a retry; its error quotes the start of the answer", async () => {
    r.rx.answer({ status: 500, body: "database is down" }, 1);
    expect(await post(json(r.rx.url), context())).toMatchObject({
      ok: false,
      status: 500,
      error: `127.0.0.1:${r.rx.port} answered 500: database is down`,
      permanent: false,
    });
  });

  it("a 4xx is permanent, but for 408, 409, 425 and 429", async () => {
    const outcome = async (status: number) => {
      r.rx.answer({ status }, 1);
      const res = await post(json(r.rx.url), context());
      return [status, res.ok, res.permanent];
    };
    for (const status of [400, 401, 403, 404, 410, 413, 422]) expect(await outcome(status)).toEqual([status, false, true]);
    for (const status of [408, 409, 425, 429]) expect(await outcome(status)).toEqual([status, false, false]);
  });

  it("reads Retry-After in seconds and as an HTTP date", async () => {
    r.rx.answer({ status: 429, headers: { "retry-after": "7" } }, 1);
    expect(await post(json(r.rx.url), context())).toMatchObject({ status: 429, retryAfterMs: 7_000, permanent: false });

    r.rx.answer({ status: 503, headers: { "retry-after": new Date(Date.now() + 30_000).toUTCString() } }, 1);
    const res = await post(json(r.rx.url), context());
    expect(res.retryAfterMs).toBeGreaterThan(27_000);
    expect(res.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it("parseRetryAfter: seconds, a date (a past one is 0), nothing or garbage is null", () => {
    const now = Date.parse("2026-11-25T01:52:07Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Wed, 25 Nov 2026 01:53:07 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Wed, 25 Nov 2026 01:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("-5", now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it("does not follow a redirect: the 3xx is the answer, and says so", async () => {
    r.rx.answer({ status: 302, headers: { location: `${r.rx.url}/elsewhere` } }, 1);
    const res = await post(json(r.rx.url), context());
    expect(res).toMatchObject({ ok: false, status: 302, permanent: false });
    expect(res.error).toMatch(/answered 302: a redirect, which Inflight does not follow/);
    expect(r.rx.requests).toHaveLength(1);
  });

  it("reads only the start of a large answer", async () => {
    r.rx.answer({ status: 500, body: "x".repeat(2_000_000) }, 1);
    const res = await post(json(r.rx.url), context());
    expect(res.status).toBe(500);
    expect(res.error!.length).toBeLessThan(260);
  });
});

describe("a request that gets no answer", () => {
  it("a stalled target times out with a readable error, worth a retry", async () => {
    r.rx.stall(1);
    const res = await post(json(r.rx.url), context({ timeoutMs: 300 }));
    expect(res).toMatchObject({ ok: false, status: null, error: `no answer from 127.0.0.1:${r.rx.port} within 300 ms`, permanent: false });
    expect(res.latencyMs).toBeGreaterThanOrEqual(290);
  });

  it("nobody listening is a connection error, worth a retry", async () => {
    const port = await freePort();
    expect(await post(json(`http://127.0.0.1:${port}/secret-path-123`), context())).toMatchObject({
      ok: false,
      status: null,
      error: `could not reach 127.0.0.1:${port}: ECONNREFUSED`,
      permanent: false,
    });
  });

  it("a target that is not http(s) is refused", async () => {
    expect(await post(json("ftp://127.0.0.1/x"), context())).toMatchObject({ ok: false, permanent: true, error: "refused: the target must be http:// or https://, not ftp://" });
    expect(await post(json("not a url"), context())).toMatchObject({ ok: false, permanent: true, error: "refused: the target is not a valid URL" });
  });
});

describe("SSRF: private targets only when listed in ALERT_ALLOWED_HOSTS", () => {
  const privateTargets = (port: number) => [
    [`http://127.0.0.1:${port}/hook`, "127.0.0.1", "127.0.0.1"],
    [`http://localhost:${port}/hook`, "localhost", /^(127\.0\.0\.1|::1)$/],
    [`http://[::1]:${port}/hook`, "::1", "::1"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254", "169.254.169.254"],
    ["http://10.1.2.3/hook", "10.1.2.3", "10.1.2.3"],
    ["http://192.168.0.10/hook", "192.168.0.10", "192.168.0.10"],
    ["http://0.0.0.0:9/hook", "0.0.0.0", "0.0.0.0"],
  ] as const;

  it("refuses loopback, private, link-local and unspecified targets when not listed: permanent, says why, sends nothing", async () => {
    for (const [url, host, address] of privateTargets(r.rx.port)) {
      const res = await post(json(url), context({ allowedHosts: ["example.com", "127.0.0.2"] }));
      expect(res, url).toMatchObject({ ok: false, status: null, permanent: true, retryAfterMs: null });
      const m = /^refused: (\S+) resolves to (\S+), a loopback, private, link-local or reserved address; list (\S+) in ALERT_ALLOWED_HOSTS to allow it$/.exec(res.error!);
      expect(m, `${url}: ${res.error}`).not.toBeNull();
      expect([m![1].replace(/^\[|\]$/g, ""), m![3].replace(/^\[|\]$/g, "")]).toEqual([host, host]);
      expect(m![2]).toMatch(address);
      expect(res.error).not.toContain("/hook");
    }
    expect(r.rx.requests).toEqual([]);
  });

  it("allows a listed host, by IP literal or by name, case-insensitively", async () => {
    expect(await post(json(`${r.rx.url}/a`), context({ allowedHosts: ["127.0.0.1"] }))).toMatchObject({ ok: true, status: 200 });
    expect(await post(json(`http://localhost:${r.rx.port}/b`), context({ allowedHosts: ["LocalHost"] }))).toMatchObject({ ok: true, status: 200 });
    expect(r.rx.requests.map((q) => q.path)).toEqual(["/a", "/b"]);
  });

  it("isAllowedHost: exact hosts only, IPv6 in any spelling", () => {
    expect(isAllowedHost("hooks.example.com", ["Hooks.Example.COM"])).toBe(true);
    expect(isAllowedHost("[::1]", ["::1"])).toBe(true);
    expect(isAllowedHost("[::1]", ["[0:0:0:0:0:0:0:1]"])).toBe(true);
    expect(isAllowedHost("evil-example.com", ["example.com"])).toBe(false);
    expect(isAllowedHost("sub.example.com", ["example.com"])).toBe(false);
    expect(isAllowedHost("example.com", ["sub.example.com"])).toBe(false);
    expect(isAllowedHost("127.0.0.1", [])).toBe(false);
  });
});

describe("secrets stay out of errors", () => {
  it("an answer that echoes the URL's path, query or a given secret is quoted with them cut out", async () => {
    const path = "/services/T0001/B0002/XyZsecretToken42";
    const routingKey = "R0UTINGKEY0123456789abcdef012345";
    r.rx.answer({ status: 404, body: `Cannot POST ${path}?token=querySecret99 (you sent ${routingKey})` }, 1);
    const res = await post(json(`${r.rx.url}${path}?token=querySecret99`, `{"routing_key":"${routingKey}"}`), context(), [routingKey]);
    expect(res).toMatchObject({ ok: false, status: 404, permanent: true });
    for (const secret of ["XyZsecretToken42", "querySecret99", routingKey, "T0001/B0002"]) expect(res.error).not.toContain(secret);
    expect(res.error).toMatch(/^127\.0\.0\.1:\d+ answered 404: Cannot POST /);
  });
});
