import http from "node:http";
import https from "node:https";


/**
 * HTTP requests on node:http (https for https: URLs) over keep-alive agents, each answer's body
 * received whole. Not fetch(): a spend-log page is about 1 MB of JSON, and receiving it through
 * undici's web streams cost ~14 ms of CPU a page against ~7-9 ms here (npm run bench, ingest
 * breakdown), the largest part of ingest after the proxy itself.
 * Errors: a timeout rejects with an Error named "TimeoutError"; a socket error with its code.
 */
export class HttpTransport {
  /** Receive buffers free for the next body. */
  private readonly spare: Buffer[] = [];
  private readonly agents = { "http:": new http.Agent({ keepAlive: true, maxSockets: 8 }), "https:": new https.Agent({ keepAlive: true, maxSockets: 8 }) };

  /**
   * Sends the request and hands the answer's status and body to `read`, whose result it resolves
   * with. The body bytes are valid only during that call (their memory takes the next body).
   */
  request<T>(
    url: URL,
    opts: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number },
    read: (status: number, body: Buffer) => T,
  ): Promise<T> {
    const mod = url.protocol === "https:" ? https : http;
    const agent = url.protocol === "https:" ? this.agents["https:"] : this.agents["http:"];
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method: opts.method, headers: opts.headers, agent }, (res) => {
        const body = new BodyReader(this.spare, Number(res.headers["content-length"]));
        res.on("data", (c: Buffer) => body.add(c));
        res.on("end", () => {
          try {
            resolve(read(res.statusCode ?? 0, body.bytes()));
          } catch (e) {
            reject(e);
          } finally {
            body.release();
          }
        });
        res.on("error", (e) => {
          body.release();
          reject(e);
        });
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

/** Bodies up to this size are received into memory kept for the next one. */
const REUSED_BODY_MAX = 16 * 1024 * 1024;

/**
 * A response body received into one buffer taken from (and given back to) a free list, when its
 * content-length is known: fresh memory for each ~1 MB page cost more CPU in page faults than
 * copying the bytes (npm run bench, ingest breakdown).
 */
class BodyReader {
  private buf: Buffer | null = null;
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly spare: Buffer[],
    length: number,
  ) {
    if (Number.isInteger(length) && length > 0 && length <= REUSED_BODY_MAX) {
      const i = spare.findIndex((b) => b.length >= length);
      this.buf = i >= 0 ? spare.splice(i, 1)[0] : Buffer.allocUnsafeSlow(Math.max(length, 1 << 20));
    }
  }

  add(chunk: Buffer): void {
    if (this.buf !== null && this.size + chunk.length <= this.buf.length) {
      chunk.copy(this.buf, this.size);
    } else {
      // No (or too short a) content-length: gather the chunks.
      if (this.buf !== null) this.chunks.push(Buffer.from(this.buf.subarray(0, this.size)));
      this.release();
      this.chunks.push(chunk);
    }
    this.size += chunk.length;
  }

  bytes(): Buffer {
    return this.buf !== null ? this.buf.subarray(0, this.size) : Buffer.concat(this.chunks);
  }

  release(): void {
    if (this.buf !== null && this.spare.length < 4) this.spare.push(this.buf);
    this.buf = null;
  }
}
