// Server-only (node:net, node:http): never import this from browser code.
import http from "node:http";
import net from "node:net";
import tls from "node:tls";
import type { BurstRequest } from "./verdict";

/** Where the burst goes: a proxy, a virtual key whose metadata allows client mock responses, a model it may call. */
export interface BurstTarget {
  baseUrl: string;
  key: string;
  model: string;
}

export interface BurstProgress {
  sent: number;
  admitted: number;
  rejected: number;
  other: number;
  inFlight: number;
  done: number;
}

export interface FireOptions {
  n: number;
  /** How long each request holds its slot (`mock_delay`, seconds). */
  holdS: number;
  /** Prefix of each request's call id (`x-litellm-call-id`), unique per run and round. */
  idPrefix: string;
  /** The round these requests are (0 for a single burst). */
  round?: number;
  /** Told on every start and end (cheap: the caller throttles what it prints). */
  onProgress?: (p: BurstProgress) => void;
  /** Aborts every request: those not ended count as status 0. */
  signal?: AbortSignal;
  /** How long to wait for all connections before firing. */
  connectTimeoutMs?: number;
  /**
   * The mock answer every request asks for; each admitted answer is checked against it (`mocked`),
   * so a request that reached the provider (a worker without the mock allowance) is caught.
   */
  answer?: string;
}

/** `path` on the proxy at `baseUrl` (which may end in slashes). */
export function proxyUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${path}`;
}

/** The answer's text of a chat completion body; undefined when it is not one. */
export function answerOf(body: string): unknown {
  try {
    return (JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
  } catch {
    return undefined;
  }
}

/** The body of a zero-cost request: a mock answer (never sent upstream), one token at most. */
export function mockBody(model: string, answer: string, holdS: number): string {
  return JSON.stringify({ model, messages: [{ role: "user", content: "Inflight burst test" }], mock_response: answer, mock_delay: holdS, max_tokens: 1 });
}

/** One connection to the proxy, open before anything is sent. */
function connect(url: URL, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const socket =
      url.protocol === "https:"
        ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ALPNProtocols: ["http/1.1"] })
        : net.connect({ host, port });
    const timer = setTimeout(() => socket.destroy(new Error(`no connection to ${url.host} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(url.protocol === "https:" ? "secureConnect" : "connect", () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

const LIMITER_HEADER = /^x-ratelimit-api_key-/;

/** One request as the bytes that go on the wire, built before the burst so that sending it is one write. */
function requestBytes(url: URL, key: string, id: string, body: string): Buffer {
  const head = [
    `POST ${url.pathname}${url.search} HTTP/1.1`,
    `host: ${url.host}`,
    `authorization: Bearer ${key}`,
    "content-type: application/json",
    `content-length: ${Buffer.byteLength(body)}`,
    `x-litellm-call-id: ${id}`,
    "connection: close",
  ];
  return Buffer.from(`${head.join("\r\n")}\r\n\r\n${body}`);
}

/** Whether `body` holds a whole chunked body: every chunk, the last (empty) one and its trailers. */
function chunkedComplete(body: Buffer): boolean {
  for (let at = 0; ; ) {
    const eol = body.indexOf("\r\n", at);
    if (eol < 0) return false;
    const size = parseInt(body.toString("latin1", at, eol), 16);
    if (Number.isNaN(size)) return false; // malformed: the connection's end settles it (status 0)
    if (size === 0) return body.indexOf("\r\n\r\n", eol) >= 0;
    at = eol + 2 + size + 2;
  }
}

/** A complete body as text: a chunked one with its chunks joined. */
function bodyOf(body: Buffer, complete: (b: Buffer) => boolean): string {
  if (complete !== chunkedComplete) return body.toString("utf8");
  const parts: Buffer[] = [];
  for (let at = 0; ; ) {
    const eol = body.indexOf("\r\n", at);
    const size = parseInt(body.toString("latin1", at, eol), 16);
    if (!(size > 0)) return Buffer.concat(parts).toString("utf8");
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** A response's head: its status and headers (names lower-cased, the first of repeated ones). */
function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const [statusLine, ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] ??= line.slice(colon + 1).trim();
  }
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0), headers };
}

/**
 * Fires `n` concurrent zero-cost requests: every connection is opened and every request built as
 * bytes first, then all are written in one tight loop, so their start times lie within a few
 * milliseconds. Each is timed (sent, headers, end) with its status and the limiter's headers.
 */
export async function fireBurst(target: BurstTarget, opts: FireOptions): Promise<BurstRequest[]> {
  const url = new URL(proxyUrl(target.baseUrl, "/v1/chat/completions"));
  // Written raw below, so checked here as http.request would (no line breaks smuggled into the head).
  http.validateHeaderValue("authorization", target.key);
  http.validateHeaderValue("x-litellm-call-id", opts.idPrefix);
  const opened = await Promise.allSettled(Array.from({ length: opts.n }, () => connect(url, opts.connectTimeoutMs ?? 10_000)));
  const failed = opened.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failed) {
    // Nothing is sent unless every connection is there: close the ones that opened.
    for (const o of opened) if (o.status === "fulfilled") o.value.destroy();
    throw new Error(`could not open ${opts.n} connections to ${url.host}: ${(failed.reason as Error).message}`);
  }
  const sockets = opened.map((o) => (o as PromiseFulfilledResult<net.Socket>).value);
  const progress: BurstProgress = { sent: 0, admitted: 0, rejected: 0, other: 0, inFlight: 0, done: 0 };
  const tell = () => opts.onProgress?.({ ...progress });
  const answer = opts.answer ?? "ok";
  const body = mockBody(target.model, answer, opts.holdS);
  // A destroyed connection ends its request with status 0 (below), unless its response was complete.
  const onAbort = () => sockets.forEach((s) => s.destroy());
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  // Cancelled while the connections opened: nothing is sent.
  if (opts.signal?.aborted) {
    onAbort();
    return [];
  }

  /** Reads a request's response off its connection (sent with `connection: close`). */
  const one = (socket: net.Socket, rec: BurstRequest) =>
    new Promise<BurstRequest>((resolve) => {
      const finish = (status: number) => {
        if (rec.endMs) return;
        rec.endMs = Date.now();
        rec.status = status;
        progress.inFlight--;
        progress.done++;
        if (status === 200) progress.admitted++;
        else if (status === 429) progress.rejected++;
        else progress.other++;
        tell();
        socket.destroy();
        resolve(rec);
      };
      let status = 0;
      let received = Buffer.alloc(0);
      const answered = (text: string) => {
        if (status === 200 && opts.answer !== undefined) rec.mocked = answerOf(text) === answer;
        finish(status);
      };
      /** Whether the body is all there; null when only the connection's end tells (no length given). */
      let complete: ((body: Buffer) => boolean) | null = null;
      socket.on("data", (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (rec.headersMs === null) {
          const end = received.indexOf("\r\n\r\n");
          if (end < 0) return;
          rec.headersMs = Date.now();
          const head = parseHead(received.toString("latin1", 0, end));
          const h = head.headers;
          status = head.status;
          if (status === 429) {
            rec.retryAfter = h["retry-after"] ?? null;
            rec.rateLimitType = h["rate_limit_type"] ?? null;
          }
          for (const [k, v] of Object.entries(h)) if (LIMITER_HEADER.test(k)) rec.rateLimitHeaders[k] = v;
          const length = h["content-length"];
          if (/chunked/i.test(h["transfer-encoding"] ?? "")) complete = chunkedComplete;
          else if (length !== undefined) complete = (b) => b.length >= Number(length);
          received = received.subarray(end + 4);
        }
        if (complete?.(received)) answered(bodyOf(received, complete));
      });
      // Without a length, the connection's end ends the body.
      socket.on("end", () => (rec.headersMs !== null && !complete ? answered(received.toString("utf8")) : finish(0)));
      socket.on("close", () => finish(0));
      socket.on("error", () => finish(0));
    });

  const recs = sockets.map((_, i): BurstRequest => ({ id: `${opts.idPrefix}-${i}`, round: opts.round ?? 0, sentMs: 0, headersMs: null, endMs: 0, status: 0, retryAfter: null, rateLimitType: null, rateLimitHeaders: {} }));
  const bytes = recs.map((r) => requestBytes(url, target.key, r.id, body));
  const pending = sockets.map((s, i) => one(s, recs[i]));
  // Every request already built: the loop only writes, so the requests leave within a few
  // milliseconds of each other, not spread over the time it takes to build them.
  for (let i = 0; i < sockets.length; i++) {
    recs[i].sentMs = Date.now();
    progress.sent++;
    progress.inFlight++;
    sockets[i].write(bytes[i]);
  }
  tell();
  try {
    if (opts.signal?.aborted) onAbort();
    return await Promise.all(pending);
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
  }
}
