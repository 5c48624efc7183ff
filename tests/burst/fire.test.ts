// The burst engine against a local HTTP server standing in for the proxy: every request arrives
// with its own call id and the zero-cost body; statuses, 429 headers and the limiter's headers are
// kept per request; a refused connection fails before anything is sent; a cancel ends every request.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fireBurst } from "../../lib/burst/fire";
import { freePort } from "../support/ports";

interface Seen {
  callId: string;
  body: Record<string, unknown>;
}

/** A server that answers the first `admit` requests 200 after `holdMs`, the rest 429 at once. */
async function proxy(admit: number, holdMs: number) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ callId: String(req.headers["x-litellm-call-id"]), body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      if (seen.length > admit) {
        res.writeHead(429, { "retry-after": "1", rate_limit_type: "max_parallel_requests" }).end("{}");
        return;
      }
      setTimeout(() => res.writeHead(200, { "x-ratelimit-api_key-remaining-max_parallel_requests": "0", "x-other": "y" }).end("{}"), holdMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { seen, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe("fireBurst", () => {
  it("sends every request with its call id and a mock body, and keeps what each answer said", async () => {
    const p = await proxy(3, 300);
    servers.push(p.server);
    const reqs = await fireBurst({ baseUrl: p.url, key: "sk-test", model: "m" }, { n: 10, holdS: 2, idPrefix: "run-r0", round: 0 });
    expect(reqs).toHaveLength(10);
    expect(new Set(p.seen.map((s) => s.callId))).toEqual(new Set(reqs.map((r) => r.id)));
    expect(p.seen[0].body).toMatchObject({ model: "m", mock_response: "ok", mock_delay: 2, max_tokens: 1 });
    const ok = reqs.filter((r) => r.status === 200);
    const refused = reqs.filter((r) => r.status === 429);
    expect([ok.length, refused.length]).toEqual([3, 7]);
    expect(ok[0].rateLimitHeaders).toEqual({ "x-ratelimit-api_key-remaining-max_parallel_requests": "0" });
    expect(refused[0]).toMatchObject({ retryAfter: "1", rateLimitType: "max_parallel_requests", round: 0 });
    for (const r of reqs) expect(r.endMs).toBeGreaterThanOrEqual(r.headersMs!);
    // Every request left before the first answer came back: all were in flight together.
    expect(Math.max(...reqs.map((r) => r.sentMs))).toBeLessThanOrEqual(Math.min(...reqs.map((r) => r.headersMs!)));
  });

  it("fails before sending anything when a connection cannot be opened", async () => {
    const port = await freePort();
    await expect(fireBurst({ baseUrl: `http://127.0.0.1:${port}`, key: "sk-test", model: "m" }, { n: 5, holdS: 1, idPrefix: "x" })).rejects.toThrow(/could not open 5 connections/);
  });

  it("a cancel ends every request still running (status 0)", async () => {
    const p = await proxy(5, 30_000);
    servers.push(p.server);
    const ac = new AbortController();
    const firing = fireBurst({ baseUrl: p.url, key: "sk-test", model: "m" }, { n: 5, holdS: 30, idPrefix: "c", signal: ac.signal, onProgress: (pr) => pr.sent === 5 && setTimeout(() => ac.abort(), 100) });
    const reqs = await firing;
    expect(reqs.map((r) => r.status)).toEqual([0, 0, 0, 0, 0]);
  });
});
