import http from "node:http";
import https from "node:https";
import net from "node:net";
import { useAgent } from "request-filtering-agent";
import type { SendResult } from "../types";
import type { RenderedRequest, SendContext } from "./channel";

/** Bytes of an answer's body read at most: enough for an error snippet, never a whole page. */
const BODY_READ_MAX = 4096;
/** Characters of that body an error quotes at most. */
const SNIPPET_MAX = 200;
/** 4xx answers that say "later", not "never": retry them. */
const RETRYABLE_4XX = new Set([408, 409, 425, 429]);
/** URL parts this long or longer are treated as secrets in a quoted answer (Slack's path, tokens in a query). */
const SECRET_PART_MIN = 6;

/**
 * POSTs a rendered request once, with node's http/https (request-filtering-agent needs an
 * http.Agent, which fetch cannot take), and says what came of it; it never throws.
 *
 * SSRF: a target that resolves to a loopback, private, link-local or reserved address is refused,
 * unless its host is in `ctx.allowedHosts` (ALERT_ALLOWED_HOSTS). The agent checks the address it
 * connects to, after DNS, so a name that resolves to 10.0.0.5 is refused as 10.0.0.5 itself is.
 * Redirects are not followed: a 3xx is an answer like any other.
 *
 * Errors name the host and never the URL's path, query or the body (a Slack webhook's path and a
 * PagerDuty routing key are secrets); a quoted answer has the URL's parts and `secrets` cut out.
 */
export function post(request: RenderedRequest, ctx: Pick<SendContext, "allowedHosts" | "timeoutMs">, secrets: readonly string[] = []): Promise<SendResult> {
  const started = performance.now();
  const result = (r: Omit<SendResult, "latencyMs">): SendResult => ({ ...r, latencyMs: Math.round(performance.now() - started) });

  const url = URL.canParse(request.url) ? new URL(request.url) : null;
  if (!url) return Promise.resolve(result(refused("the target is not a valid URL")));
  if (url.protocol !== "http:" && url.protocol !== "https:") return Promise.resolve(result(refused(`the target must be http:// or https://, not ${url.protocol}//`)));

  // A fresh agent per request (useAgent with options): no pooled socket outlives the host's check.
  const agent = useAgent(url.href, { allowPrivateIPAddress: isAllowedHost(url.hostname, ctx.allowedHosts) });
  const client = url.protocol === "https:" ? https : http;
  const hidden = [...secretPartsOf(url), ...secrets];

  return new Promise((resolve) => {
    let settled = false;
    let deadline: NodeJS.Timeout | undefined;
    const finish = (r: Omit<SendResult, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result(r));
    };
    let req: http.ClientRequest;
    try {
      req = client.request(
        url,
        { method: "POST", agent, headers: { "user-agent": "Inflight", ...request.headers, "content-length": String(Buffer.byteLength(request.body)) } },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const answered = () => finish(fromAnswer(url.host, res, Buffer.concat(chunks), hidden));
          res.on("data", (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
            if (size >= BODY_READ_MAX) res.destroy(); // 'close' follows: the status is what matters
          });
          res.on("end", answered);
          res.on("close", answered);
          res.on("error", answered);
        },
      );
    } catch (e) {
      // A header value node refuses (ERR_INVALID_CHAR...): a bug of the channel, never worth a retry.
      return finish({ ...failure(`could not send to ${url.host}: ${codeOf(e)}`), permanent: true });
    }
    // One deadline for the whole exchange (connect, answer, body), not an idle timeout per read.
    deadline = setTimeout(() => {
      finish(failure(`no answer from ${url.host} within ${ctx.timeoutMs} ms`));
      req.destroy();
    }, ctx.timeoutMs);
    req.on("error", (e) => finish(fromError(url, e)));
    req.end(request.body);
  });
}

/**
 * Whether `hostname` (a URL's, so lower case, IPv6 in brackets) is one the operator listed: host
 * names compared case-insensitively, IP literals by their canonical form (`[::1]`, `::1` and
 * `0:0:0:0:0:0:0:1` are one host). Exact names only: no wildcards, no ports.
 */
export function isAllowedHost(hostname: string, allowedHosts: readonly string[]): boolean {
  const target = canonicalHost(hostname);
  return allowedHosts.some((h) => canonicalHost(h) === target);
}

function canonicalHost(host: string): string {
  const bare = host.trim().replace(/^\[(.*)\]$/, "$1");
  const asUrlHost = net.isIPv6(bare) ? `[${bare}]` : bare;
  return URL.canParse(`http://${asUrlHost}`) ? new URL(`http://${asUrlHost}`).hostname : bare.toLowerCase();
}

/**
 * A Retry-After header in ms from `nowMs`: delay-seconds or an HTTP date (RFC 9110 §10.2.3); null
 * when absent or unreadable. A date in the past is 0.
 */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | null {
  const v = value?.trim();
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // An HTTP date names its month; Date.parse alone would take "-5" for a year.
  const at = /[a-z]{3}/i.test(v) ? Date.parse(v) : Number.NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function fromAnswer(host: string, res: http.IncomingMessage, body: Buffer, hidden: readonly string[]): Omit<SendResult, "latencyMs"> {
  const status = res.statusCode ?? 0;
  const retryAfterMs = parseRetryAfter(res.headers["retry-after"]);
  if (status >= 200 && status < 300) return { ok: true, status, error: null, retryAfterMs, permanent: false };
  const why =
    status >= 300 && status < 400
      ? "a redirect, which Inflight does not follow: give the final URL"
      : snippet(body.subarray(0, BODY_READ_MAX).toString("utf8"), hidden) || (res.statusMessage ?? "");
  return {
    ok: false,
    status,
    error: `${host} answered ${status}${why ? `: ${why}` : ""}`,
    retryAfterMs,
    permanent: status >= 400 && status < 500 && !RETRYABLE_4XX.has(status),
  };
}

/** The library's refusal reads "DNS lookup 10.0.0.5(family:4, host:x) is not allowed. Because, …". */
const FILTERED = /^DNS lookup ([^(\s]+)\(.*is not allowed/;

function fromError(url: URL, e: Error): Omit<SendResult, "latencyMs"> {
  const filtered = FILTERED.exec(e.message);
  if (filtered) {
    return refused(
      `${url.hostname} resolves to ${filtered[1]}, a loopback, private, link-local or reserved address; list ${url.hostname} in ALERT_ALLOWED_HOSTS to allow it`,
    );
  }
  // The code only: node's messages may quote more than the host.
  return failure(`could not reach ${url.host}: ${codeOf(e)}`);
}

/** A target Inflight will not post to: no request made, and retrying cannot help. */
export function refused(why: string): SendResult {
  return { ok: false, status: null, latencyMs: 0, error: `refused: ${why}`, retryAfterMs: null, permanent: true };
}

function failure(error: string): Omit<SendResult, "latencyMs"> {
  return { ok: false, status: null, error, retryAfterMs: null, permanent: false };
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "connection failed";
}

/** The URL's path, query and credentials, whole and in parts: what an answer must not echo back. */
function secretPartsOf(url: URL): string[] {
  const parts = [url.pathname + url.search, url.pathname, url.search, url.username, url.password, ...url.pathname.split("/"), ...url.search.slice(1).split(/[&=]/)];
  return parts.flatMap((p) => [p, safeDecode(p)]);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The start of an answer's body on one line, with every secret cut out. */
function snippet(text: string, hidden: readonly string[]): string {
  let out = text;
  for (const s of [...hidden].filter((h) => h.length >= SECRET_PART_MIN).sort((a, b) => b.length - a.length)) out = out.split(s).join("…");
  out = out.replace(/[\s\u0000-\u001f\u007f]+/g, " ").trim();
  return out.length > SNIPPET_MAX ? `${out.slice(0, SNIPPET_MAX)}…` : out;
}
