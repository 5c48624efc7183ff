import http from "node:http";
import https from "node:https";

export interface HttpAnswer {
  status: number;
  text: string;
}

/**
 * One HTTP request on node:http (https for https: URLs) over keep-alive agents, the body read
 * whole as UTF-8. Not fetch(): a spend-log page is about 1 MB of JSON, and receiving it through
 * undici's web streams cost ~14 ms of CPU a page against ~7-9 ms here (npm run bench, ingest
 * breakdown), the largest part of ingest after the proxy itself.
 * Errors: a timeout rejects with an Error named "TimeoutError"; a socket error with its code.
 */
export class HttpTransport {
  private readonly agents = { "http:": new http.Agent({ keepAlive: true, maxSockets: 8 }), "https:": new https.Agent({ keepAlive: true, maxSockets: 8 }) };

  request(url: URL, opts: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number }): Promise<HttpAnswer> {
    const mod = url.protocol === "https:" ? https : http;
    const agent = url.protocol === "https:" ? this.agents["https:"] : this.agents["http:"];
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method: opts.method, headers: opts.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.setTimeout(opts.timeoutMs, () => {
        const e = new Error(`timed out after ${opts.timeoutMs} ms`);
        e.name = "TimeoutError";
        req.destroy(e);
      });
      req.on("error", reject);
      req.end(opts.body);
    });
  }

  close(): void {
    this.agents["http:"].destroy();
    this.agents["https:"].destroy();
  }
}
