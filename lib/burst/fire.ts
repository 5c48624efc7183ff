// Server-only (node:net, node:http): never import this from browser code.
import http from "node:http";
import https from "node:https";
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

/**
 * Fires `n` concurrent zero-cost requests: every connection is opened first, every request written
 * into its corked connection, then all are let go at once, so their start times lie within a few
 * milliseconds. Each is timed (sent,
 * headers, end) with its status and the limiter's headers.
 */
export async function fireBurst(target: BurstTarget, opts: FireOptions): Promise<BurstRequest[]> {
  const url = new URL(target.baseUrl.replace(/\/+$/, "") + "/v1/chat/completions");
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
  const body = mockBody(target.model, "ok", opts.holdS);
  const client = url.protocol === "https:" ? https : http;
  const live = new Set<http.ClientRequest>();
  const onAbort = () => live.forEach((r) => r.destroy(new Error("cancelled")));
  opts.signal?.addEventListener("abort", onAbort, { once: true });

  const one = (socket: net.Socket, i: number) =>
    new Promise<BurstRequest>((resolve) => {
      const id = `${opts.idPrefix}-${i}`;
      const rec: BurstRequest = { id, round: opts.round ?? 0, sentMs: 0, headersMs: null, endMs: 0, status: 0, retryAfter: null, rateLimitType: null, rateLimitHeaders: {} };
      const finish = (status: number) => {
        if (rec.endMs) return;
        rec.endMs = Date.now();
        rec.status = status;
        live.delete(req);
        progress.inFlight--;
        progress.done++;
        if (status === 200) progress.admitted++;
        else if (status === 429) progress.rejected++;
        else progress.other++;
        tell();
        socket.destroy();
        resolve(rec);
      };
      const req = client.request(url, {
        method: "POST",
        agent: false,
        createConnection: () => socket,
        headers: {
          authorization: `Bearer ${target.key}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "x-litellm-call-id": id,
        },
      });
      live.add(req);
      req.on("response", (res) => {
        rec.headersMs = Date.now();
        const h = res.headers;
        if (res.statusCode === 429) {
          rec.retryAfter = typeof h["retry-after"] === "string" ? h["retry-after"] : null;
          rec.rateLimitType = typeof h["rate_limit_type"] === "string" ? h["rate_limit_type"] : null;
        }
        for (const [k, v] of Object.entries(h)) if (LIMITER_HEADER.test(k) && typeof v === "string") rec.rateLimitHeaders[k] = v;
        res.resume();
        res.on("end", () => finish(res.statusCode ?? 0));
        res.on("error", () => finish(0));
      });
      req.on("error", () => finish(0));
      // Written into the corked socket: nothing leaves until every request is ready (below).
      req.end(body);
      recs[i] = rec;
    });

  // Every socket corked, every request written into it, then all uncorked in one tight loop: the
  // requests leave within a few milliseconds of each other, not spread over the time it takes to
  // build them.
  const recs: BurstRequest[] = [];
  for (const s of sockets) s.cork();
  const pending = sockets.map((s, i) => one(s, i));
  await new Promise((r) => setImmediate(r)); // the requests take their sockets on the next tick
  for (let i = 0; i < sockets.length; i++) {
    recs[i].sentMs = Date.now();
    progress.sent++;
    progress.inFlight++;
    sockets[i].uncork();
  }
  tell();
  try {
    if (opts.signal?.aborted) onAbort();
    return await Promise.all(pending);
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
  }
}
